// Builds the card into the integration's folder (one minified ES module, committed: HACS
// does not build). `--check` builds into a temporary folder and fails when the committed
// bundle differs; `--tests` bundles the unit tests for `node --test`.
import { build } from "esbuild";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const bundleName = "magnesium-sleep-card.js";
const committed = join(here, "..", "custom_components", "magnesium_sleep", "frontend", bundleName);

async function buildCard(outfile) {
  await build({
    entryPoints: [join(here, "src", "magnesium-sleep-card.ts")],
    outfile,
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    legalComments: "eof",
    logLevel: "warning",
  });
}

const mode = process.argv[2];
if (mode === "--check") {
  const dir = await mkdtemp(join(tmpdir(), "magnesium-sleep-card-"));
  try {
    await buildCard(join(dir, bundleName));
    const [fresh, current] = await Promise.all([
      readFile(join(dir, bundleName)),
      readFile(committed).catch(() => Buffer.alloc(0)),
    ]);
    if (!fresh.equals(current)) {
      console.error(`${committed} is stale: run "npm run build" in frontend/ and commit it`);
      process.exit(1);
    }
    console.log(`${bundleName} is up to date (${fresh.length} bytes)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
} else if (mode === "--tests") {
  const tests = (await readdir(join(here, "test"))).filter((name) => name.endsWith(".test.ts"));
  await build({
    entryPoints: tests.map((name) => join(here, "test", name)),
    outdir: join(here, ".test-build"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
} else {
  await buildCard(committed);
  const size = (await readFile(committed)).length;
  console.log(`built ${committed} (${size} bytes)`);
}
