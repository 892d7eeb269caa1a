// Every RPC of compliance.v1 reached through its REST route, by Node's fetch, with every
// request and response checked against docs/openapi.json.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  checkAuditEventData, EventStream, requirement, RestClient, serveFresh,
} from './harness.mjs';

let world;
let server;
let rest;
let token;

before(async () => {
  world = await serveFresh('routes', { 'rest-admin': ['admin'] });
  ({ server } = world);
  token = world.tokens['rest-admin'];
  rest = new RestClient(server.http, token);
});

after(() => world?.stop());

const policy = (title, extra = {}) => ({
  requirements: [requirement('5.1.a')],
  kind: 'EVIDENCE_KIND_POLICY',
  title,
  uri: 'https://intranet.example.com/isms/policy.pdf',
  collectTime: '2026-10-01T09:00:00Z',
  ...extra,
});

test('RequirementService: get, list, update and review', async () => {
  const got = await rest.get(`/v1/${requirement('5.1.a')}`);
  assert.equal(got.status, 200);
  assert.equal(got.body.requirement.reference, '5.1(a)');
  assert.equal(got.headers.get('etag'), `"${got.body.requirement.etag}"`);

  const page = await rest.get('/v1/requirements?pageSize=3');
  assert.deepEqual(page.body.requirements.map((r) => r.reference), ['5.1(a)', '5.1(b)', '5.1(c)']);
  const next = await rest.get(
    `/v1/requirements?pageSize=3&pageToken=${encodeURIComponent(page.body.nextPageToken)}`);
  assert.equal(next.body.requirements[0].reference, '5.1(d)');
  const framework = await rest.get(
    '/v1/frameworks/iso27001-2022/requirements?conformity=CONFORMITY_NOT_ASSESSED&clause=5.1');
  assert.equal(framework.body.requirements.length, 8);

  const updated = await rest.patch(`/v1/${requirement('5.1.a')}`,
    { owner: 'ciso@example.com', reviewInterval: '15552000s' });
  assert.equal(updated.status, 200);
  assert.equal(updated.body.requirement.owner, 'ciso@example.com');
  assert.equal(updated.body.requirement.reviewInterval, '15552000s');
  assert.equal(updated.headers.get('etag'), `"${updated.body.requirement.etag}"`);

  const reviewed = await rest.post(`/v1/${requirement('5.1.a')}:review`,
    { conformity: 'CONFORMITY_CONFORMING', notes: 'board review 2026-11' });
  assert.equal(reviewed.status, 200);
  assert.equal(reviewed.body.requirement.conformity, 'CONFORMITY_CONFORMING');
  assert.equal(reviewed.body.requirement.lastReviewer, 'rest-admin');
});

test('a PATCH updates what its body names, and clears what it names empty', async () => {
  const path = `/v1/${requirement('5.1.b')}`;
  await rest.patch(path, { owner: 'coo@example.com', notes: 'kept until cleared' });
  const cleared = await rest.patch(path, { notes: '' });
  assert.equal(cleared.body.requirement.notes, '');
  assert.equal(cleared.body.requirement.owner, 'coo@example.com', 'a field not named is kept');
  const masked = await rest.patch(`${path}?updateMask=owner`, { owner: '', notes: 'ignored' });
  assert.equal(masked.body.requirement.owner, '');
  assert.equal(masked.body.requirement.notes, '', 'the mask, when given, decides');
});

test('EvidenceService: create (idempotent), batch create, get, list and withdraw', async () => {
  const created = await rest.post('/v1/evidence?requestId=policy-v3', policy('Policy v3'));
  assert.equal(created.status, 200);
  assert.equal(created.body.deduplicated, false);
  const { name } = created.body.evidence;
  assert.match(name, /^evidence\/[0-9a-f-]{36}$/);
  const again = await rest.post('/v1/evidence?requestId=policy-v3', policy('Policy v3'));
  assert.equal(again.body.deduplicated, true);
  assert.equal(again.body.evidence.name, name);

  const batch = await rest.post('/v1/evidence:batchCreate', {
    requests: [
      { requestId: 'batch-1', evidence: policy('Objectives 2027', { kind: 'EVIDENCE_KIND_OBJECTIVES' }) },
      { requestId: 'batch-2', evidence: policy('Minutes', { kind: 'EVIDENCE_KIND_MEETING_MINUTES' }) },
    ],
  });
  assert.equal(batch.status, 200);
  assert.deepEqual(batch.body.evidence.map((e) => e.title), ['Objectives 2027', 'Minutes']);

  const got = await rest.get(`/v1/${name}`);
  assert.equal(got.body.evidence.title, 'Policy v3');
  assert.equal(got.headers.get('etag'), `"${got.body.evidence.etag}"`);
  const listed = await rest.get(
    `/v1/evidence?requirement=${encodeURIComponent(requirement('5.1.a'))}&kind=EVIDENCE_KIND_POLICY`);
  assert.deepEqual(listed.body.evidence.map((e) => e.name), [name]);

  const withdrawn = await rest.post(`/v1/${name}:withdraw`, { reason: 'replaced by v4' });
  assert.equal(withdrawn.body.evidence.state, 'EVIDENCE_STATE_WITHDRAWN');
  const active = await rest.get('/v1/evidence?state=EVIDENCE_STATE_ACTIVE');
  assert.equal(active.body.evidence.length, 2);
});

test('ActionService: create, get, list, update, complete with its successor, cancel', async () => {
  const due = new Date(Date.now() + 30 * 86400e3).toISOString();
  const created = await rest.post('/v1/actions?requestId=q1-review', {
    requirement: requirement('5.1.e'),
    kind: 'ACTION_KIND_MANAGEMENT_REVIEW',
    title: 'Q1 management review',
    owner: 'ceo@example.com',
    dueTime: due,
    recurrence: '7776000s',
  });
  assert.equal(created.status, 200);
  const { name } = created.body.action;
  assert.equal((await rest.get(`/v1/${name}`)).body.action.title, 'Q1 management review');
  const listed = await rest.get('/v1/actions?state=ACTION_STATE_OPEN&owner=ceo@example.com');
  assert.deepEqual(listed.body.actions.map((a) => a.name), [name]);

  const updated = await rest.patch(`/v1/${name}`, { title: 'Q1 management review (board)' });
  assert.equal(updated.body.action.title, 'Q1 management review (board)');
  const completed = await rest.post(`/v1/${name}:complete`,
    { note: 'held on time', requestId: 'q1-review-done' });
  assert.equal(completed.body.action.state, 'ACTION_STATE_COMPLETED');
  const successor = completed.body.nextAction;
  assert.equal(successor.state, 'ACTION_STATE_OPEN');
  assert.equal(successor.title, 'Q1 management review (board)');

  const cancelled = await rest.post(`/v1/${successor.name}:cancel`, { reason: 'moved to Q2' });
  assert.equal(cancelled.body.action.state, 'ACTION_STATE_CANCELLED');
});

test('ReportService: readiness and the OSCAL export', async () => {
  const readiness = await rest.get('/v1/readiness?framework=iso27001-2022&clause=5.1');
  assert.equal(readiness.body.requirements.length, 8);
  assert.equal(readiness.body.auditReady, false);
  const exported = await rest.get('/v1/assessmentResults?framework=iso27001-2022');
  assert.equal(exported.body.mediaType, 'application/oscal+json');
  assert.ok(JSON.parse(exported.body.document)['assessment-results']);
});

test('AuditService: list, verify, checkpoint, proofs and the watch', async () => {
  const listed = await rest.get('/v1/auditEvents?pageSize=1000');
  const events = listed.body.auditEvents;
  assert.ok(events.length >= 10);
  assert.deepEqual(events.map((e) => Number(e.sequence)), events.map((_, i) => i + 1));
  const resource = await rest.get(`/v1/auditEvents?resource=${encodeURIComponent(requirement('5.1.a'))}`);
  assert.ok(resource.body.auditEvents.every((e) => e.resource === requirement('5.1.a')));
  const verified = (await rest.get('/v1/auditEvents:verify')).body;
  assert.equal(verified.intact, true);
  assert.equal(verified.firstBrokenSequence, '0');
  assert.ok(Number(verified.verifiedEvents) >= events.length, 'every listed event is verified');

  let checkpoint;
  for (let tries = 0; tries < 100; tries++) {
    checkpoint = (await rest.get('/v1/checkpoint')).body;
    if (Number(checkpoint.treeSize) >= events.length) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(Number(checkpoint.treeSize) >= events.length, 'no checkpoint covers the events');
  const inclusion = await rest.get(`/v1/inclusionProof?sequence=2&treeSize=${checkpoint.treeSize}`);
  assert.equal(inclusion.body.leafIndex, '1');
  assert.equal(inclusion.body.auditEvent.sequence, '2');
  const consistency = await rest.get(
    `/v1/consistencyProof?firstSize=3&secondSize=${checkpoint.treeSize}`);
  assert.ok(consistency.body.hashes.length > 0);

  const stream = await EventStream.open(server.http, '/v1/auditEvents:watch?afterSequence=1', { token });
  const first = await stream.next();
  assert.equal(first.id, '2');
  assert.equal(checkAuditEventData(first.data).sequence, '2');
  stream.close();
});

test('a call over REST is the same call: its audit actor and its gRPC metrics', async () => {
  const before = await (await fetch(server.metrics)).text();
  const count = (text) => Number((text.match(
    /^grpc_server_handled_total\{grpc_code="OK",grpc_method="GetRequirement",grpc_service="compliance\.v1\.RequirementService",grpc_type="unary"\} (\d+)/m) ?? [0, 0])[1]);
  await rest.get(`/v1/${requirement('5.1.c')}`);
  const after = await (await fetch(server.metrics)).text();
  assert.equal(count(after), count(before) + 1);
  const last = (await rest.get(`/v1/auditEvents?resource=${encodeURIComponent(requirement('5.1.a'))}`))
    .body.auditEvents.at(-1);
  assert.equal(last.actor, 'rest-admin');
  assert.equal(last.method, '/compliance.v1.RequirementService/ReviewRequirement');
});
