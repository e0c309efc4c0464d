((js, wasm) => {
  const hydrate = () =>
    import(js)
      .then((app) => app.default({ module_or_path: wasm }).then(() => app.hydrate()))
      .then(() => document.documentElement.setAttribute("data-hydrated", ""));
  const afterPaint = () =>
    document.visibilityState === "visible"
      ? requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(hydrate, 0)))
      : hydrate();
  if (document.readyState === "complete") afterPaint();
  else addEventListener("load", afterPaint, { once: true });
})
