// A real OpenID Connect provider for the SSO tests (node_modules/oidc-provider, pinned in package.json).
// Usage: node provider.mjs PORT CLIENTS_JSON. Prints "ready <issuer>" once it listens on 127.0.0.1.
// The person who signs in next is set by the test: POST /test/next-login with
// {"sub", "email", "email_verified", "given_name", "family_name", "hd", "amr": ["pwd", "mfa"]}.
// POST /test/wrong-keys makes /jwks publish a key that signs nothing (a forged ID token, as the portal sees it).
// With "password" in next-login, the person signs in at the provider's own pages, as in a browser: a sign-in
// form (their email and that password) and then a consent page; without it the interaction finishes at once.
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

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res, title, body, status = 200) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>` +
      `<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`,
  );
}

function loginPage(res, uid, error = '') {
  page(res, 'Sign in to your account', `${error ? `<p role="alert">${escape(error)}</p>` : ''}
    <form method="post" action="/interaction/${uid}/login">
      <label for="email">Email</label> <input id="email" name="email" type="email" autocomplete="username">
      <label for="password">Password</label> <input id="password" name="password" type="password">
      <button type="submit">Sign in</button>
    </form>`, error ? 400 : 200);
}

function consentPage(res, uid, details) {
  const scopes = details.params.scope.split(' ').map((s) => `<li>${escape(s)}</li>`).join('');
  page(res, 'Permissions requested', `<p>${escape(details.params.client_id)} would like to:</p><ul>${scopes}</ul>
    <form method="post" action="/interaction/${uid}/confirm"><button type="submit">Accept</button></form>`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
}

// The provider's own pages: who signs in is checked against the test's next login (email and password).
async function interactionPage(req, res) {
  const uid = req.url.split('/')[2];
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    if (details.prompt.name === 'login') loginPage(res, uid);
    else consentPage(res, uid, details);
    return;
  }
  const { sub, password, amr = ['pwd'], ...claims } = nextLogin;
  if (req.url.endsWith('/login')) {
    const form = await readForm(req);
    if ((form.email || '').toLowerCase() !== claims.email.toLowerCase() || form.password !== password) {
      loginPage(res, uid, 'Your account or password is incorrect.');
      return;
    }
    accounts.set(sub, claims);
    await provider.interactionFinished(req, res, { login: { accountId: sub, amr } }, { mergeWithLastSubmission: false });
    return;
  }
  const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, {
    mergeWithLastSubmission: true,
  });
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
    } else if (req.url.startsWith('/interaction/') && nextLogin && nextLogin.password) {
      await interactionPage(req, res);
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
