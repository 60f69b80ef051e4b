// A real OpenID Connect provider for the SSO tests (node_modules/oidc-provider, pinned in package.json).
// Usage: node provider.mjs PORT CLIENTS_JSON. Prints "ready <issuer>" once it listens on 127.0.0.1.
// The person who signs in next is set by the test: POST /test/next-login with
// {"sub", "email", "email_verified", "given_name", "family_name", "hd", "amr": ["pwd", "mfa"]}.
// POST /test/wrong-keys makes /jwks publish a key that signs nothing (a forged ID token, as the portal sees it).
// Test-only: never run this anywhere people sign in.
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const clients = JSON.parse(process.argv[3]).map((c) => ({ id_token_signed_response_alg: 'ES256', ...c }));
const issuer = `http://127.0.0.1:${port}`;
const accounts = new Map();
let nextLogin = null;

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'ES256' };
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
const wrongJwks = JSON.stringify({ keys: [{ ...other, kid: 'test-signing-key', use: 'sig', alg: 'ES256' }] });
let publishWrongKeys = false;

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [jwk] },
  enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
  cookies: { keys: ['oidc-test-cookie-key'] },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  conformIdTokenClaims: false, // the scopes' claims (email, hd) in the ID token, as Google and Entra ID do
  claims: {
    openid: ['sub', 'amr'], // amr (how the person authenticated) kept in the ID token, as Entra ID does
    email: ['email', 'email_verified', 'hd'],
    profile: ['name', 'given_name', 'family_name'],
  },
  findAccount: (ctx, sub) => {
    const claims = accounts.get(sub);
    if (!claims) return undefined;
    return { accountId: sub, claims: () => ({ sub, ...claims }) };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString() || '{}');
}

// Signs in whoever the test chose, with the authentication methods it chose, and grants the scopes asked.
async function finishInteraction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (!nextLogin) {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'no test login set' });
    return;
  }
  const { sub, amr = ['pwd'], ...claims } = nextLogin;
  accounts.set(sub, claims);
  const grant = new provider.Grant({ accountId: sub, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId: sub, amr }, consent: { grantId } }, {
    mergeWithLastSubmission: false,
  });
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  try {
    if (req.method === 'POST' && req.url === '/test/next-login') {
      nextLogin = await readJson(req);
      publishWrongKeys = false;
      res.writeHead(204).end();
    } else if (req.method === 'POST' && req.url === '/test/wrong-keys') {
      publishWrongKeys = true;
      res.writeHead(204).end();
    } else if (req.method === 'GET' && req.url === '/jwks' && publishWrongKeys) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(wrongJwks);
    } else if (req.method === 'GET' && req.url.startsWith('/interaction/')) {
      await finishInteraction(req, res);
    } else {
      callback(req, res);
    }
  } catch (err) {
    console.error(err);
    res.writeHead(500).end(String(err));
  }
});
server.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
