/**
 * The layers, enforced in `npm run check` (docs/architecture.md): dependencies point inward,
 * domain ← application ← adapters ← handlers and CLIs; nothing outside test/ imports test/.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-imports-nothing-of-ours",
      comment: "shared/domain is pure: it imports nothing outside itself (node built-ins neither).",
      severity: "error",
      from: { path: "^shared/domain/" },
      to: { pathNot: "^shared/domain/" },
    },
    {
      name: "application-imports-domain-and-itself",
      comment:
        "The use cases import the domain, their ports and each other; never an adapter, a CLI, a handler, infra or tests.",
      severity: "error",
      from: { path: "^shared/application/" },
      to: { path: "^(shared/adapters|cli|functions|infra|test)/" },
    },
    {
      name: "ports-import-domain-and-ports",
      comment:
        "A port names what a use case needs, in the domain's terms and its own: not a use case's internals.",
      severity: "error",
      from: { path: "^shared/application/ports/" },
      to: { path: "^shared/", pathNot: "^shared/(domain|application/ports)/" },
    },
    {
      name: "adapters-never-import-entry-points",
      comment: "Adapters implement ports; the CLIs, handlers and the CDK app wire them, not the reverse.",
      severity: "error",
      from: { path: "^shared/adapters/" },
      to: { path: "^(cli|functions|infra|test)/" },
    },
    {
      name: "cycle-public-face",
      comment:
        "Outside shared/application/cycle/, the cycle is used through its index.ts only: its other files are its own.",
      severity: "error",
      from: { pathNot: "^shared/application/cycle/" },
      to: { path: "^shared/application/cycle/", pathNot: "^shared/application/cycle/index\\.ts$" },
    },
    {
      name: "no-circular",
      comment:
        "No module reaches itself through its imports, type-only ones included: a circle is one module in two files.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "only-tests-import-tests",
      comment: "A shipped command never depends on test code.",
      severity: "error",
      from: { pathNot: "^test/" },
      to: { path: "^test/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|cdk\\.out|\\.data)/" },
    // TypeScript 7's compiler API is not published yet: swc parses the sources (type imports too).
    parser: "swc",
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".js", ".json"] },
  },
};
