// A standalone OpenID Connect provider for the end-to-end run: oauth2-mock-server standing in
// for Google. It approves every authorization at once (checking PKCE at the token endpoint) and
// answers userinfo with a new verified learner each time, so parallel tests never share one.
//
// Usage: node oauth-provider.mjs <port>
import { OAuth2Server } from "oauth2-mock-server";

const port = Number(process.argv[2] ?? 3124);
const server = new OAuth2Server();
await server.issuer.keys.generate("RS256");

let learners = 0;
server.service.on("beforeUserinfo", (userinfo) => {
  learners += 1;
  const id = `${Date.now().toString(36)}${learners}`;
  userinfo.body = {
    sub: `mock-google-${id}`,
    email: `google-learner-${id}@example.com`,
    email_verified: true,
    name: `Grace ${id}`,
  };
});

await server.start(port, "127.0.0.1");
console.log(`oauth2-mock-server listening on ${server.issuer.url}`);

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
