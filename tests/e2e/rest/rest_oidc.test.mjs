// Service accounts of an identity provider: JWTs signed with the npm `jose` library by an IdP
// this test plays, with its OpenID discovery document and JWKS served from node:http, against
// the real server over REST. Every response is checked against docs/openapi.json.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { requirement, RestClient, root, serveFresh } from './harness.mjs';

const jose = await import(
  pathToFileURL(createRequire(`${root}/.tools/node_modules/`).resolve('jose')).href);

const audience = 'compliance-status';

/** The identity provider: keys by kid, a JWKS of the published ones, and what it was asked. */
class IdentityProvider {
  async start() {
    this.keys = new Map();
    this.published = [];
    this.requests = [];
    this.down = false;
    this.http = createServer((request, response) => this.answer(request, response));
    this.http.listen(0, '127.0.0.1');
    await once(this.http, 'listening');
    this.issuer = `http://127.0.0.1:${this.http.address().port}/realms/acme`;
  }

  answer(request, response) {
    this.requests.push(request.url);
    const documents = {
      '/realms/acme/.well-known/openid-configuration': {
        issuer: this.issuer, jwks_uri: `${this.issuer}/protocol/openid-connect/certs`,
      },
      '/realms/acme/protocol/openid-connect/certs': {
        keys: this.published.map((kid) => this.keys.get(kid).jwk),
      },
    };
    const document = documents[request.url];
    response.writeHead(this.down ? 503 : document ? 200 : 404,
      { 'content-type': 'application/json' });
    response.end(this.down ? '{}' : JSON.stringify(document ?? {}));
  }

  /** Makes a key of `alg` named `kid`, published in the JWKS unless told otherwise. */
  async addKey(alg, kid, { publish = true } = {}) {
    const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
    const jwk = { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' };
    this.keys.set(kid, { alg, privateKey, jwk });
    if (publish) this.published.push(kid);
  }

  /** A token signed with key `kid`, valid for five minutes from now unless `claims` say. */
  async token(kid, claims, { issuer = this.issuer, aud = audience } = {}) {
    const { alg, privateKey } = this.keys.get(kid);
    const now = Math.floor(Date.now() / 1000);
    return new jose.SignJWT({ iat: now, exp: now + 300, ...claims })
      .setProtectedHeader({ alg, kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(aud)
      .sign(privateKey);
  }

  jwksRequests() { return this.requests.filter((url) => url.endsWith('/certs')).length; }
  stop() { this.http.close(); }
}

const idp = new IdentityProvider();
let world;
let admin;
const now = () => Math.floor(Date.now() / 1000);

// Groups as Keycloak puts them in a token, mapped to this service's roles.
const viewer = { sub: 'grc-dashboard', groups: ['grc-readers'] };
const hrSync = {
  sub: 'service-account-hr-sync', client_id: 'hr-sync', groups: ['hr-bots', 'offline_access'],
  compliance_sources: ['hr-system'],
};
const opsBot = { sub: 'ops-bot', groups: ['compliance-editors'] };

before(async () => {
  await idp.start();
  await idp.addKey('RS256', 'rsa-1');
  await idp.addKey('ES256', 'ec-1');
  await idp.addKey('EdDSA', 'ed-1');
  world = await serveFresh('oidc', { 'rest-admin': ['admin'] }, {
    COMPLIANCE_OIDC_ISSUER: idp.issuer,
    COMPLIANCE_OIDC_AUDIENCE: audience,
    COMPLIANCE_OIDC_ROLES_CLAIM: 'groups',
    COMPLIANCE_OIDC_ROLE_MAP:
      'grc-readers=viewer,hr-bots=integrator,compliance-editors=editor',
    COMPLIANCE_OIDC_JWKS_MIN_INTERVAL: '0',
  });
  admin = new RestClient(world.server.http, world.tokens['rest-admin']);
});

after(async () => {
  await world?.stop();
  idp.stop();
});

const evidence = (source, title) => ({
  requirements: [requirement('5.1.g')],
  kind: 'EVIDENCE_KIND_TRAINING_RECORD',
  title,
  uri: 'https://hr.example.com/training/2026',
  source,
  collectTime: '2026-10-01T09:00:00Z',
});

function assertRefused(response, httpStatus, code, text) {
  assert.equal(response.status, httpStatus, JSON.stringify(response.body));
  assert.equal(response.body.code, code);
  assert.match(response.body.message, text);
}

// The sealed audit event of `resource`; events are sealed a moment after their commit.
async function auditEventOf(resource) {
  for (let tries = 0; tries < 200; tries++) {
    const query = `/v1/auditEvents?resource=${encodeURIComponent(resource)}`;
    const events = (await admin.get(query)).body.auditEvents;
    if (events.length) return events.at(-1);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`no audit event of ${resource}`);
}

test('a valid token of each algorithm is accepted: RS256, ES256 and EdDSA', async () => {
  for (const kid of ['rsa-1', 'ec-1', 'ed-1']) {
    const rest = new RestClient(world.server.http, await idp.token(kid, viewer));
    const listed = await rest.get('/v1/frameworks/iso27001-2022/requirements');
    assert.equal(listed.status, 200, `${kid}: ${JSON.stringify(listed.body)}`);
    assert.equal(listed.body.requirements.length, 8);
  }
  assert.equal(idp.jwksRequests(), 1, 'the key set is fetched once and remembered');
});

test('API tokens keep working beside the identity provider', async () => {
  assert.equal((await admin.get(`/v1/${requirement('5.1.a')}`)).status, 200);
});

test('expired, not yet valid, wrong audience and wrong issuer are 401 and say so', async () => {
  const call = async (token) => new RestClient(world.server.http, token)
    .get(`/v1/${requirement('5.1.a')}`);
  assertRefused(await call(await idp.token('rsa-1', { ...viewer, exp: now() - 120 })),
    401, 16, /expired at/);
  assertRefused(await call(await idp.token('ec-1', { ...viewer, nbf: now() + 600 })),
    401, 16, /not valid before/);
  assertRefused(await call(await idp.token('ed-1', viewer, { aud: 'payroll' })),
    401, 16, /wrong audience: "payroll"/);
  assertRefused(await call(await idp.token('rsa-1', viewer, { issuer: 'https://evil.example.com' })),
    401, 16, /wrong issuer/);
  // Within the 60 s of tolerated skew, an expiry just past is still fine.
  assert.equal((await call(await idp.token('rsa-1', { ...viewer, exp: now() - 5 }))).status, 200);
});

test('alg none, HS256 and a key the issuer does not publish are 401', async () => {
  const call = async (token) => new RestClient(world.server.http, token)
    .get(`/v1/${requirement('5.1.a')}`);
  const unsigned = new jose.UnsecuredJWT({ ...viewer, exp: now() + 300 })
    .setIssuer(idp.issuer).setAudience(audience).encode();
  assertRefused(await call(unsigned), 401, 16, /alg none/);
  const hmac = await new jose.SignJWT({ ...viewer, exp: now() + 300 })
    .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' }).setIssuer(idp.issuer)
    .setAudience(audience).sign(new TextEncoder().encode('a shared secret of 32 bytes!!!!!'));
  assertRefused(await call(hmac), 401, 16, /alg HS256 is refused/);
  await idp.addKey('ES256', 'ghost', { publish: false });
  const before = idp.jwksRequests();
  assertRefused(await call(await idp.token('ghost', viewer)), 401, 16, /unknown key "ghost"/);
  assert.equal(idp.jwksRequests(), before + 1, 'an unknown kid fetches the key set again');
});

test('a rotated key is accepted without a restart, and the retired one refused', async () => {
  await idp.addKey('RS256', 'rsa-2');
  idp.published = ['rsa-2', 'ec-1', 'ed-1'];
  const rotated = new RestClient(world.server.http, await idp.token('rsa-2', viewer));
  assert.equal((await rotated.get(`/v1/${requirement('5.1.b')}`)).status, 200);
  const retired = new RestClient(world.server.http, await idp.token('rsa-1', { ...viewer, jti: 'x' }));
  assertRefused(await retired.get(`/v1/${requirement('5.1.b')}`), 401, 16, /unknown key "rsa-1"/);
});

test('roles come from the groups claim, per RPC: a viewer reads and cannot write', async () => {
  const rest = new RestClient(world.server.http, await idp.token('ed-1', viewer));
  assert.equal((await rest.get('/v1/auditEvents')).status, 200);
  assertRefused(await rest.patch(`/v1/${requirement('5.1.a')}`, { notes: 'from a dashboard' }),
    403, 7, /token "grc-dashboard" has role viewer/);
  assertRefused(await rest.post('/v1/evidence?requestId=v1', evidence('hr-system', 'Viewer')),
    403, 7, /role viewer/);
  const unmapped = new RestClient(world.server.http,
    await idp.token('rsa-2', { sub: 'someone', groups: ['offline_access'] }));
  assertRefused(await unmapped.get('/v1/auditEvents'), 403, 7, /grants no role/);
});

test('an integrator writes evidence of its own sources only; the actor is its client_id', async () => {
  const rest = new RestClient(world.server.http, await idp.token('ec-1', hrSync));
  const created = await rest.post('/v1/evidence?requestId=hr-1', evidence('hr-system', 'Training'));
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assertRefused(await rest.post('/v1/evidence?requestId=hr-2', evidence('finance-erp', 'Budget')),
    403, 7, /may only write evidence of source\(s\) hr-system, not "finance-erp"/);
  assertRefused(await rest.patch(`/v1/${requirement('5.1.a')}`, { notes: 'integrators do not' }),
    403, 7, /role integrator/);
  const event = await auditEventOf(created.body.evidence.name);
  assert.equal(event.actor, 'hr-sync');
  assert.equal(event.method, '/compliance.v1.EvidenceService/CreateEvidence');
  assert.equal(created.body.evidence.submitter, 'hr-sync');
});

test('an editor writes anything; without a client id the actor is the subject', async () => {
  const rest = new RestClient(world.server.http, await idp.token('ed-1', opsBot));
  const changed = await rest.patch(`/v1/${requirement('5.1.c')}`, { notes: 'set by a bot' });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.equal((await auditEventOf(requirement('5.1.c'))).actor, 'ops-bot');
});

test('an unreachable identity provider is counted, and API tokens do not notice', async () => {
  const degraded = async () => Number((await (await fetch(world.server.metrics)).text())
    .match(/^compliance_degraded_total\{path="jwks_fetch_failed"\} (\S+)$/m)[1]);
  const before = await degraded();
  idp.down = true;
  await idp.addKey('RS256', 'rsa-3');
  const refused = await new RestClient(world.server.http, await idp.token('rsa-3', viewer))
    .get(`/v1/${requirement('5.1.d')}`);
  assertRefused(refused, 401, 16, /unknown key "rsa-3"/);
  assert.equal(await degraded(), before + 1);
  // Keys fetched before stay in use, and API tokens never needed the provider.
  const known = new RestClient(world.server.http, await idp.token('ec-1', { ...viewer, jti: 'y' }));
  assert.equal((await known.get(`/v1/${requirement('5.1.d')}`)).status, 200);
  assert.equal((await admin.get(`/v1/${requirement('5.1.d')}`)).status, 200);
  idp.down = false;
});
