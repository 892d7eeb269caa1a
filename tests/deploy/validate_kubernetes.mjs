// Checks deploy/kubernetes offline:
//   node validate_kubernetes.mjs NODE_MODULES MANIFEST_DIR COMPLIANCE_SERVER_BINARY
// - every document against its API schema (kubernetes-models and
//   @kubernetes-models/prometheus-operator), unknown fields included: a field the schema
//   does not know is an error, as it is for `kubectl apply` with strict field validation;
// - kustomization.yaml lists every manifest but the examples, and only files that exist;
//   each overlay (a subfolder with its own kustomization.yaml on top of ..) is applied, its
//   JSON patches with fast-json-patch, and what comes out is checked like the base;
// - the objects fit together: selectors match the pod labels, named ports exist, the
//   Secrets and ConfigMap referenced are the ones shipped or documented;
// - the restricted security context on every pod, gRPC or /healthz probes, 2+ replicas;
// - the ConfigMap holds no secret, and the server accepts its settings (names and values);
// - the servers sign audit checkpoints with a key from a Secret mounted read-only (readable by
//   the pod's fsGroup, by no one else) and write them to a mounted witness directory; the
//   migration Job alone has the owner's URL, and grants the serving role (migrate --grant-to).
// Prints every problem and exits 1 when there is one.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";

const [nodeModules, manifestDir, serverBinary] = process.argv.slice(2);
if (!serverBinary) {
  console.error("usage: validate_kubernetes.mjs NODE_MODULES MANIFEST_DIR SERVER_BINARY");
  process.exit(2);
}
const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);


const load = (file) => import(pathToFileURL(path.join(nodeModules, file)).href);
const YAML = await load("yaml/dist/index.js");
const jsonPatch = (await load("fast-json-patch/index.mjs")).default;

// The model class for apiVersion/kind, from the package that ships its schema.
async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const packages = group.endsWith("coreos.com")
    ? ["@kubernetes-models/prometheus-operator"]
    : ["kubernetes-models"];
  for (const pkg of packages) {
    const file = path.join(pkg, group, version, `${kind}.js`);
    if (!fs.existsSync(path.join(nodeModules, file))) continue;
    return (await load(file))[kind];
  }
  return undefined;
}

// Wraps `value` so that what the schema validator looks at is recorded: each property it
// reads, and each object whose keys it enumerates (maps such as labels). A key it never read
// is a field the schema does not declare.
function watch(value, at, seen) {
  if (value === null || typeof value !== "object") return value;
  const entry = (seen[at] ??= { read: new Set(), open: Array.isArray(value), keys: Object.keys(value) });
  return new Proxy(value, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== "string" || !Object.hasOwn(target, key)) return v;
      entry.read.add(key);
      return watch(v, at ? `${at}.${key}` : key, seen);
    },
    has(target, key) {
      if (typeof key === "string") entry.read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      entry.open = true;
      return Reflect.ownKeys(target);
    },
  });
}

async function validateSchema(where, doc) {
  const Model = await modelFor(String(doc.apiVersion), String(doc.kind));
  if (!Model) return problem(where, `no schema for ${doc.apiVersion} ${doc.kind}`);
  const seen = {};
  try {
    new Model(doc).validate.call(watch(structuredClone(doc), "", seen));
  } catch (e) {
    problem(where, e.message);
  }
  for (const [at, entry] of Object.entries(seen)) {
    if (entry.open) continue;
    for (const key of entry.keys) {
      if (!entry.read.has(key)) problem(where, `${at ? `${at}.` : ""}${key}: unknown field`);
    }
  }
}

// --- read every document -----------------------------------------------------------------
function readFolder(dir) {
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const objects = [];  // {file, where, doc} of every Kubernetes object
  let kustomization;
  for (const file of files) {
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8"));
    for (const [index, parsed] of docs.entries()) {
      const where = `${path.relative(manifestDir, path.join(dir, file))}#${index + 1}`;
      if (parsed.errors.length) {
        problem(where, parsed.errors.map((e) => e.message).join("; "));
        continue;
      }
      const doc = parsed.toJS();
      if (doc === null) continue;
      if (doc.kind === "Kustomization") kustomization = { file, where, doc };
      else objects.push({ file, where, doc });
    }
  }
  return { files, objects, kustomization };
}

const base = readFolder(manifestDir);
for (const { where, doc } of base.objects) await validateSchema(where, doc);
if (!base.kustomization) {
  problem(manifestDir, "no kustomization.yaml");
} else {
  const listed = base.kustomization.doc.resources ?? [];
  for (const resource of listed) {
    if (!fs.existsSync(path.join(manifestDir, resource))) {
      problem(base.kustomization.where, `resource ${resource} does not exist`);
    }
  }
  for (const file of new Set(base.objects.map((o) => o.file))) {
    if (!file.includes(".example.") && !listed.includes(file)) {
      problem(base.kustomization.where, `${file} is not among its resources`);
    }
  }
}
const examples = base.objects.filter((o) => o.file.includes(".example."));
const shipped = base.objects.filter((o) => !o.file.includes(".example."));

// Overlays: the base objects with the overlay's JSON patches applied.
const overlays = [];
for (const entry of fs.readdirSync(manifestDir, { withFileTypes: true })) {
  const dir = path.join(manifestDir, entry.name);
  if (!entry.isDirectory() || !fs.existsSync(path.join(dir, "kustomization.yaml"))) continue;
  const { doc } = readFolder(dir).kustomization;
  const where = `${entry.name}/kustomization.yaml`;
  if (JSON.stringify(doc.resources) !== JSON.stringify([".."])) {
    problem(where, "an overlay builds on the base alone (resources: [..])");
  }
  const objects = structuredClone(shipped).map((o) => ({ ...o, where: `${entry.name}: ${o.where}` }));
  for (const patch of doc.patches ?? []) {
    const targets = objects.filter((o) => o.doc.kind === patch.target?.kind &&
      o.doc.metadata?.name === patch.target?.name);
    if (targets.length !== 1) problem(where, `patch ${patch.path} targets ${targets.length} objects`);
    const operations = YAML.parse(fs.readFileSync(path.join(dir, patch.path), "utf8"));
    for (const target of targets) {
      try {
        target.doc = jsonPatch.applyPatch(target.doc, operations, true, false).newDocument;
      } catch (e) {
        problem(`${entry.name}/${patch.path}`, e.message.split("\n")[0]);
      }
    }
    for (const target of targets) await validateSchema(target.where, target.doc);
  }
  overlays.push({ name: entry.name, objects });
}

// The server's own word on which settings exist and which values it accepts.
const help = ["--help", "serve --help", "migrate --help"]
  .map((args) => spawnSync(serverBinary, args.split(" "), { encoding: "utf8" }).stdout).join("");
const knownEnv = new Set([...help.matchAll(/\(Env:([A-Z0-9_]+)\)/g)].map((m) => m[1]));
if (!knownEnv.has("DATABASE_URL")) problem(serverBinary, "--help names no environment variables");
const secretEnv = new Set(["DATABASE_URL", "COMPLIANCE_TLS_KEY", "COMPLIANCE_TLS_CERT", "COMPLIANCE_TLS_CLIENT_CA",
  "COMPLIANCE_AUDIT_SIGNING_KEY"]);
// Files from a mounted Secret, and directories on a mounted writable volume (the server checks
// that they exist when it parses its flags).
const fileEnv = new Set(["COMPLIANCE_TLS_KEY", "COMPLIANCE_TLS_CERT", "COMPLIANCE_TLS_CLIENT_CA",
  "COMPLIANCE_AUDIT_SIGNING_KEY"]);
const dirEnv = new Set(["COMPLIANCE_AUDIT_WITNESS_DIR"]);
const scratch = fs.mkdtempSync("/tmp/validate-kubernetes.");
process.on("exit", () => fs.rmSync(scratch, { recursive: true, force: true }));

// --- how the objects of one deployable set fit together ----------------------------------
function checkSet(objects) {
  const byKind = (kind) => objects.filter((o) => o.doc.kind === kind);
  const named = (kind, name) => byKind(kind).find((o) => o.doc.metadata?.name === name);
  const matches = (selector, labels) =>
    Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
  const workloads = [...byKind("Deployment"), ...byKind("Job")];
  const deployments = byKind("Deployment");
  if (deployments.length === 0) problem(manifestDir, "no Deployment");
  if (byKind("Job").length === 0) problem(manifestDir, "no migration Job");

  for (const { where, doc } of byKind("ConfigMap")) {
    for (const key of Object.keys(doc.data ?? {})) {
      if (secretEnv.has(key)) problem(where, `${key} belongs in a Secret, not a ConfigMap`);
      if (!knownEnv.has(key)) problem(where, `${key} is no setting of compliance-server`);
    }
  }

  for (const { where, doc } of workloads) {
    const pod = doc.spec.template.spec;
    const podSecurity = pod.securityContext ?? {};
    if (podSecurity.runAsNonRoot !== true) problem(where, "pod securityContext.runAsNonRoot must be true");
    if (podSecurity.seccompProfile?.type !== "RuntimeDefault") problem(where, "pod seccompProfile must be RuntimeDefault");
    for (const volume of pod.volumes ?? []) {
      if (volume.secret && !examples.some((o) => o.doc.kind === "Secret" && o.doc.metadata.name === volume.secret.secretName)) {
        problem(where, `Secret ${volume.secret.secretName} is not in secret.example.yaml`);
      }
    }
    for (const c of pod.containers) {
      const at = `${where} container ${c.name}`;
      const s = c.securityContext ?? {};
      if (s.allowPrivilegeEscalation !== false) problem(at, "allowPrivilegeEscalation must be false");
      if (s.readOnlyRootFilesystem !== true) problem(at, "readOnlyRootFilesystem must be true");
      if (!(s.capabilities?.drop ?? []).includes("ALL")) problem(at, "capabilities must drop ALL");
      if (!c.resources?.requests || !c.resources?.limits) problem(at, "needs resource requests and limits");
      const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
      if (!env.DATABASE_URL?.valueFrom?.secretKeyRef) problem(at, "DATABASE_URL must come from a Secret");
      for (const e of c.env ?? []) {
        if (!knownEnv.has(e.name)) problem(at, `env ${e.name} is no setting of compliance-server`);
        if (secretEnv.has(e.name) && !fileEnv.has(e.name) && e.value !== undefined) {
          problem(at, `${e.name} must not be a literal`);
        }
        if (fileEnv.has(e.name)) {
          const mount = (c.volumeMounts ?? []).find((m) => e.value?.startsWith(`${m.mountPath}/`) &&
            pod.volumes?.find((v) => v.name === m.name)?.secret);
          if (!mount) {
            problem(at, `${e.name} must name a file of a mounted Secret`);
          } else {
            // Secret files belong to root: the server (not root) reads them through the pod's
            // fsGroup, and nobody else should.
            const secret = pod.volumes.find((v) => v.name === mount.name).secret;
            const file = e.value.slice(mount.mountPath.length + 1);
            const mode = secret.items?.find((i) => i.path === file)?.mode ?? secret.defaultMode ?? 0o644;
            if (mount.readOnly !== true) problem(at, `${e.name}: mount ${mount.name} read-only`);
            if (mode & 0o007) problem(at, `${e.name}: mode 0${mode.toString(8)} lets every user read it (0440)`);
            if (!(mode & 0o040) || podSecurity.fsGroup === undefined) {
              problem(at, `${e.name}: mode 0${mode.toString(8)}: the server reads it only as the pod's fsGroup (0440 and fsGroup)`);
            }
          }
        }
        if (dirEnv.has(e.name) && !(c.volumeMounts ?? []).some((m) => e.value === m.mountPath &&
            m.readOnly !== true && !pod.volumes?.find((v) => v.name === m.name)?.secret &&
            !pod.volumes?.find((v) => v.name === m.name)?.configMap)) {
          problem(at, `${e.name} must name the mount path of a writable volume`);
        }
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && !examples.some((o) => o.doc.kind === "Secret" && o.doc.metadata.name === ref.name &&
            ref.key in { ...o.doc.data, ...o.doc.stringData })) {
          problem(at, `Secret ${ref.name} key ${ref.key} is not in secret.example.yaml`);
        }
      }
      const configMaps = (c.envFrom ?? []).map((f) => f.configMapRef?.name).filter(Boolean);
      for (const name of configMaps) {
        if (!named("ConfigMap", name)) problem(at, `ConfigMap ${name} is not shipped`);
      }
      // Start the server with this container's settings and no database: it must get past its
      // flag and environment parsing (a value out of range stops it there) to "no database".
      // Files from Secrets are stood in for by empty ones.
      const settings = Object.assign({}, ...configMaps.map((n) => named("ConfigMap", n)?.doc.data ?? {}));
      for (const e of c.env ?? []) {
        if (e.value === undefined) continue;
        settings[e.name] = e.value;
        if (fileEnv.has(e.name)) {
          settings[e.name] = path.join(scratch, e.name);
          fs.writeFileSync(settings[e.name], "");
        }
        if (dirEnv.has(e.name)) {
          settings[e.name] = path.join(scratch, e.name);
          fs.mkdirSync(settings[e.name], { recursive: true });
        }
      }
      const run = spawnSync(serverBinary, c.args ?? [], {
        encoding: "utf8", env: { PATH: process.env.PATH, ...settings }, timeout: 10000,
      });
      if (run.status !== 2 || !run.stderr.includes("no database")) {
        problem(at, `compliance-server ${(c.args ?? []).join(" ")} rejects these settings: ${run.stderr.trim()}`);
      }
    }
  }

  for (const { where, doc } of deployments) {
    const labels = doc.spec.template.metadata?.labels;
    if (!matches(doc.spec.selector.matchLabels, labels)) problem(where, "selector does not match the pod labels");
    if ((doc.spec.replicas ?? 1) < 2) problem(where, "needs 2 or more replicas");
    for (const c of doc.spec.template.spec.containers) {
      const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
      const tls = "COMPLIANCE_TLS_CERT" in env;
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        const grpc = c[probe]?.grpc;
        const http = c[probe]?.httpGet;
        const exec = c[probe]?.exec?.command ?? [];
        const port = grpc?.port ?? http?.port;
        if (tls) {
          // Kubernetes' gRPC and HTTP probes speak plaintext only.
          if (exec[0] !== "compliance-healthcheck") problem(where, `${c.name} ${probe}: with TLS, run compliance-healthcheck`);
        } else if (!grpc && http?.path !== "/healthz") {
          problem(where, `${c.name} ${probe} must be a gRPC probe or an HTTP GET of /healthz`);
        } else if (!(c.ports ?? []).some((p) => p.containerPort === port || p.name === port)) {
          problem(where, `${c.name} ${probe} port ${port} is not a container port`);
        }
      }
      if (env.COMPLIANCE_NO_MIGRATE !== "1") problem(where, `${c.name}: migrations are the Job's; set COMPLIANCE_NO_MIGRATE=1`);
      // serve refuses to start without a key unless told to sign nothing, which it must not be.
      const configMaps = (c.envFrom ?? []).map((f) => named("ConfigMap", f.configMapRef?.name)?.doc.data ?? {});
      if (!("COMPLIANCE_AUDIT_SIGNING_KEY" in env)) problem(where, `${c.name}: set COMPLIANCE_AUDIT_SIGNING_KEY (the audit key's Secret)`);
      if ("COMPLIANCE_ALLOW_UNSIGNED_AUDIT" in env || configMaps.some((d) => "COMPLIANCE_ALLOW_UNSIGNED_AUDIT" in d)) {
        problem(where, `${c.name}: COMPLIANCE_ALLOW_UNSIGNED_AUDIT makes checkpoints prove nothing`);
      }
      if (!("COMPLIANCE_AUDIT_WITNESS_DIR" in env)) problem(where, `${c.name}: set COMPLIANCE_AUDIT_WITNESS_DIR (a mounted volume)`);
    }
    const podPorts = doc.spec.template.spec.containers.flatMap((c) => c.ports ?? []);
    for (const svc of byKind("Service").filter((s) => matches(s.doc.spec.selector, labels))) {
      for (const port of svc.doc.spec.ports) {
        if (!podPorts.some((p) => p.name === port.targetPort || p.containerPort === port.targetPort)) {
          problem(svc.where, `targetPort ${port.targetPort} is not a port of ${doc.metadata.name}`);
        }
      }
    }
    if (!byKind("Service").some((s) => matches(s.doc.spec.selector, labels))) problem(where, "no Service selects it");
    if (!byKind("PodDisruptionBudget").some((p) => matches(p.doc.spec.selector.matchLabels, labels))) {
      problem(where, "no PodDisruptionBudget covers it");
    }
    const hpa = byKind("HorizontalPodAutoscaler").find((h) => h.doc.spec.scaleTargetRef.name === doc.metadata.name);
    if (!hpa) problem(where, "no HorizontalPodAutoscaler scales it");
    else if (hpa.doc.spec.minReplicas < 2) problem(hpa.where, "minReplicas must be 2 or more");
  }

  // Least privilege: the Job migrates as the owner and grants the serving role; the servers
  // connect with another URL, as that role, and the Job has no use for the audit key.
  const urlOf = (c) => {
    const ref = (c.env ?? []).find((e) => e.name === "DATABASE_URL")?.valueFrom?.secretKeyRef;
    return ref && `${ref.name}/${ref.key}`;
  };
  const serving = new Set(deployments.flatMap((d) => d.doc.spec.template.spec.containers.map(urlOf)));
  for (const { where, doc } of byKind("Job")) {
    for (const c of doc.spec.template.spec.containers) {
      const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
      if (!(c.args ?? []).includes("--grant-to") && !env.COMPLIANCE_GRANT_TO) {
        problem(where, `${c.name}: migrate --grant-to ROLE (or COMPLIANCE_GRANT_TO), so that the servers need not be the owner`);
      }
      if (serving.has(urlOf(c))) problem(where, `${c.name}: the owner's DATABASE_URL (${urlOf(c)}) is the servers' too`);
      if ("COMPLIANCE_AUDIT_SIGNING_KEY" in env) problem(where, `${c.name}: migrating needs no audit signing key`);
    }
  }

  for (const { where, doc } of byKind("ServiceMonitor")) {
    const services = byKind("Service").filter((s) => matches(doc.spec.selector.matchLabels, s.doc.metadata.labels));
    if (services.length === 0) problem(where, "selects no Service");
    for (const endpoint of doc.spec.endpoints) {
      if (!services.some((s) => s.doc.spec.ports.some((p) => p.name === endpoint.port))) {
        problem(where, `port ${endpoint.port} is no port of the Services it selects`);
      }
    }
  }
}

checkSet(shipped);
for (const overlay of overlays) checkSet(overlay.objects);

if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`${problems.length} problem(s) in ${manifestDir}`);
  process.exit(1);
}
console.log(`${base.objects.length} objects in ${base.files.length} files and ${overlays.length} overlay(s): valid`);
