// docs/rest-tour.sh, as it is, against a real server on an empty database: it must end
// audit-ready, and a second run must change nothing it already did.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';

import { RestClient, root, serveFresh } from './harness.mjs';

let world;
let server;
let token;

before(async () => {
  world = await serveFresh('tour', { tour: ['admin'] });
  ({ server } = world);
  token = world.tokens.tour;
});

after(() => world?.stop());

// Run without blocking this process: while the tour runs, the server may close this process's
// idle keep-alive connections (after 5 s), and only a running event loop notices that before
// the next fetch would reuse one.
const tour = async () => (await promisify(execFile)('bash', [`${root}/docs/rest-tour.sh`], {
  env: { ...process.env, COMPLIANCE_HTTP: server.http, COMPLIANCE_TOKEN: token },
})).stdout;

test('docs/rest-tour.sh goes from an empty database to audit-ready', async () => {
  const output = await tour();
  assert.match(output, /^audit-ready: false/m);
  assert.match(output, /^created 8 evidence records$/m);
  assert.match(output, /^audit-ready: true \(score 1\)$/m);
  assert.match(output, /^audit log intact: \d+ events$/m);
  const rest = new RestClient(server.http, token);
  const evidence = (await rest.get('/v1/evidence?pageSize=100')).body.evidence;
  assert.equal(evidence.length, 8);

  await tour();  // again: the request ids make the evidence and the action no-ops
  assert.equal((await rest.get('/v1/evidence?pageSize=100')).body.evidence.length, 8);
  assert.equal((await rest.get('/v1/actions')).body.actions.length, 1);
});
