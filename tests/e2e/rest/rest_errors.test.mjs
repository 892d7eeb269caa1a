// Errors over REST: each code's HTTP status (AIP-193) with a google.rpc.Status body naming the
// field, ETags with If-Match and If-None-Match, and refusals that change nothing. Every
// response is checked against docs/openapi.json.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { EventStream, requirement, RestClient, serveFresh } from './harness.mjs';

let world;
let server;
let rest;
let viewer;
let hr;

before(async () => {
  world = await serveFresh('errors', {
    'rest-admin': ['admin'], dashboard: ['viewer'], 'hr-sync': ['integrator', ['hr-system']],
  });
  ({ server } = world);
  rest = new RestClient(server.http, world.tokens['rest-admin']);
  viewer = new RestClient(server.http, world.tokens.dashboard);
  hr = new RestClient(server.http, world.tokens['hr-sync']);
});

after(() => world?.stop());

const evidence = (title, extra = {}) => ({
  requirements: [requirement('5.1.g')],
  kind: 'EVIDENCE_KIND_TRAINING_RECORD',
  title,
  uri: 'https://hr.example.com/training/2026',
  source: 'hr-system',
  collectTime: '2026-10-01T09:00:00Z',
  ...extra,
});

function assertError(response, httpStatus, code, field) {
  assert.equal(response.status, httpStatus, JSON.stringify(response.body));
  assert.equal(response.body.code, code);
  assert.equal(typeof response.body.message, 'string');
  if (field) {
    assert.ok(response.body.message.startsWith(`${field}: `), response.body.message);
    const [detail] = response.body.details;
    assert.equal(detail['@type'], 'type.googleapis.com/google.rpc.BadRequest');
    assert.equal(detail.fieldViolations[0].field, field);
  }
}

// The audit log's length once everything committed so far is sealed: a marked change is made
// and awaited, and events are sealed in commit order (so the marker counts itself too).
let markers = 0;
async function settledAuditCount() {
  const marker = `marker ${++markers}`;
  await rest.patch(`/v1/${requirement('5.1.h')}`, { notes: marker });
  for (let tries = 0; tries < 200; tries++) {
    const events = (await rest.get('/v1/auditEvents?pageSize=1000')).body.auditEvents;
    if (events.some((e) => e.afterJson.includes(`"${marker}"`))) return events.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`the event of ${marker} was never sealed`);
}

test('INVALID_ARGUMENT is 400 and names the field, in the body or the query', async () => {
  const events = await settledAuditCount();
  assertError(await rest.post('/v1/evidence', evidence('')), 400, 3, 'evidence.title');
  assertError(await rest.post('/v1/evidence:batchCreate', {
    requests: [{ evidence: evidence('fine') }, { evidence: evidence('x'.repeat(201)) }],
  }), 400, 3, 'requests[1].evidence.title');
  assertError(await rest.post('/v1/evidence', evidence('t', { colour: 'red' })), 400, 3,
    'evidence.colour');
  assertError(await rest.post('/v1/evidence', '{"title": '), 400, 3, 'evidence');
  assertError(await rest.get('/v1/evidence?pageSize=-1'), 400, 3, 'page_size');
  assertError(await rest.get('/v1/evidence?pageSize=many'), 400, 3, 'page_size');
  assertError(await rest.get('/v1/evidence?flavour=x'), 400, 3, 'flavour');
  assertError(await rest.get('/v1/frameworks/iso27001-2022/requirements/5.1.z'), 404, 5);
  assertError(await rest.get('/v1/frameworks/iso27001-2022/requirements/5.1.a?name=x'), 400, 3,
    'name');
  assert.equal(await settledAuditCount(), events + 1, 'a refused request wrote nothing');
});

test('NOT_FOUND is 404; an unknown path is 404 and an unknown verb 405', async () => {
  assertError(await rest.get('/v1/evidence/00000000-0000-4000-8000-000000000000'), 404, 5);
  const unknownPath = await fetch(`${server.http}/v1/nothing-here`);
  assert.equal(unknownPath.status, 404);
  assert.equal((await unknownPath.json()).code, 5);
  const wrongVerb = await fetch(`${server.http}/v1/requirements`, { method: 'DELETE' });
  assert.equal(wrongVerb.status, 405);
  assert.equal((await wrongVerb.json()).code, 12);
});

test('ALREADY_EXISTS is 409: a requestId reused with other content', async () => {
  const first = await rest.post('/v1/evidence?requestId=training-q3', evidence('Training Q3'));
  assert.equal(first.status, 200);
  assertError(await rest.post('/v1/evidence?requestId=training-q3', evidence('Training Q4')), 409, 6);
});

test('FAILED_PRECONDITION is 400: withdrawing withdrawn evidence', async () => {
  const { name } = (await rest.post('/v1/evidence', evidence('Old record'))).body.evidence;
  assert.equal((await rest.post(`/v1/${name}:withdraw`, { reason: 'wrong file' })).status, 200);
  assertError(await rest.post(`/v1/${name}:withdraw`, { reason: 'again' }), 400, 9);
});

test('ETag on reads; If-Match makes a change conditional (stale: 409 ABORTED, nothing changed)',
  async () => {
    const path = `/v1/${requirement('5.1.c')}`;
    const read = await rest.get(path);
    const etag = read.headers.get('etag');
    assert.equal(etag, `"${read.body.requirement.etag}"`);
    assert.equal((await rest.get(path, { headers: { 'if-none-match': etag } })).status, 304);

    const changed = await rest.patch(path, { owner: 'cfo@example.com' }, { headers: { 'if-match': etag } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    const events = await settledAuditCount();
    const stale = await rest.patch(path, { owner: 'someone@example.com' }, { headers: { 'if-match': etag } });
    assertError(stale, 409, 10, 'etag');
    assert.equal((await rest.get(path)).body.requirement.owner, 'cfo@example.com');
    assert.equal(await settledAuditCount(), events + 1, 'the stale change wrote nothing');
    const staleReview = await rest.post(`${path}:review`, { conformity: 'CONFORMITY_CONFORMING' },
      { headers: { 'if-match': etag } });
    assertError(staleReview, 409, 10, 'etag');
    const weak = await rest.post(`${path}:review`, { conformity: 'CONFORMITY_CONFORMING' },
      { headers: { 'if-match': `W/${changed.headers.get('etag')}` } });
    assert.equal(weak.status, 200);
  });

test('UNAUTHENTICATED is 401 and PERMISSION_DENIED 403, the watch included', async () => {
  assertError(await rest.get('/v1/requirements', { token: null }), 401, 16);
  assertError(await rest.get('/v1/requirements', { token: 'not-a-token' }), 401, 16);
  assertError(await viewer.post('/v1/evidence', evidence('From a dashboard')), 403, 7);
  assertError(await hr.post('/v1/evidence', evidence('Budget', { source: 'finance' })), 403, 7);
  assert.equal((await hr.post('/v1/evidence', evidence('Training Q1'))).status, 200);
  const refused = await EventStream.open(server.http, '/v1/auditEvents:watch');
  assert.equal(refused.status, 401);
  assert.equal(refused.error.code, 16);
});

test('a body over 8 MiB is refused unread with 413', async () => {
  const response = await rest.post('/v1/evidence', { title: 'x'.repeat(9 << 20) });
  assert.equal(response.status, 413);
  assert.equal(response.body.code, 8);
});
