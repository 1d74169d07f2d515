// Builds the CSS from Sass and copies GOV.UK Frontend's JavaScript into
// boundaries/static/build, so the application ships everything it serves.
import * as sass from "sass";
import { copyFileSync, mkdirSync, writeFileSync, cpSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "boundaries", "static", "build");
mkdirSync(out, { recursive: true });

const result = sass.compile(join(root, "frontend", "main.scss"), {
  importers: [new sass.NodePackageImporter()],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "boundaries.css"), result.css);

const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
copyFileSync(join(root, "frontend", "init.mjs"), join(out, "init.mjs"));
console.log(`built ${out}`);
