import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const ROOT_TSCONFIG = path.join(ROOT, 'tsconfig.json');

type CompilerOptions = { tsConfigPath?: string; builder?: unknown; webpack?: boolean; deleteOutDir?: boolean };
type Project = { type?: string; root?: string; sourceRoot?: string; entryFile?: string; compilerOptions?: CompilerOptions };
type NestCli = Project & { monorepo?: boolean; projects: Record<string, Project> };

const nestCli = JSON.parse(fs.readFileSync(path.join(ROOT, 'nest-cli.json'), 'utf8')) as NestCli;
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
const projects = Object.entries(nestCli.projects);

const folders = (parent: string) =>
  fs
    .readdirSync(path.join(ROOT, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${parent}/${entry.name}`);

/** A tsconfig as TypeScript reads it: comments allowed, `extends` followed, include globs expanded. */
function parsed(configPath: string): ts.ParsedCommandLine {
  const file = path.join(ROOT, configPath);
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(`${configPath}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  return ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(file), undefined, file);
}

const rootOptions = parsed('tsconfig.json').options;
const wholeBuild = parsed(nestCli.compilerOptions?.tsConfigPath ?? 'tsconfig.json');

describe('nest-cli.json', () => {
  it('is a monorepo built by tsc everywhere: no webpack, and no project empties the shared dist/', () => {
    expect(nestCli.monorepo).toBe(true);
    expect(nestCli.compilerOptions?.builder).toBe('tsc');
    for (const [name, project] of [['(default)', nestCli] as const, ...projects]) {
      const { builder, webpack, deleteOutDir } = project.compilerOptions ?? {};
      expect({ name, builder: builder ?? 'tsc', webpack: webpack ?? false, deleteOutDir: deleteOutDir ?? false }).toEqual({ name, builder: 'tsc', webpack: false, deleteOutDir: false });
    }
  });

  it('has every folder under apps/ as an application and under libs/ as a library, named after it, and nothing else', () => {
    const expected = [...folders('apps').map((root) => ({ root, type: 'application' })), ...folders('libs').map((root) => ({ root, type: 'library' }))].map(({ root, type }) => ({
      name: path.basename(root),
      type,
      root,
      sourceRoot: `${root}/src`,
    }));
    const listed = projects.map(([name, { type, root, sourceRoot }]) => ({ name, type, root, sourceRoot }));
    const byRoot = (a: { root?: string }, b: { root?: string }) => String(a.root).localeCompare(String(b.root));
    expect(listed.sort(byRoot)).toEqual(expected.sort(byRoot));
  });

  it('gives each project an entry file that exists; the default project is the api', () => {
    for (const [name, { sourceRoot, entryFile }] of projects) {
      expect({ name, exists: fs.existsSync(path.join(ROOT, `${sourceRoot}/${entryFile}.ts`)) }).toEqual({ name, exists: true });
    }
    const api = nestCli.projects.api;
    expect({ root: nestCli.root, sourceRoot: nestCli.sourceRoot, entryFile: nestCli.entryFile }).toEqual({ root: api.root, sourceRoot: api.sourceRoot, entryFile: api.entryFile });
  });

  it("gives each project its own tsconfig, which extends the root tsconfig.json and compiles the project's src/ without specs", () => {
    for (const [name, { type, root, compilerOptions }] of projects) {
      const tsConfigPath = `${root}/tsconfig.${type === 'application' ? 'app' : 'lib'}.json`;
      expect({ name, tsConfigPath: compilerOptions?.tsConfigPath }).toEqual({ name, tsConfigPath });
      const config = parsed(tsConfigPath);
      const extended = path.resolve(ROOT, String(root), String((config.raw as { extends?: string }).extends));
      const sources = config.fileNames.map((file) => path.relative(ROOT, file));
      expect({ name, extended, errors: config.errors.length }).toEqual({ name, extended: ROOT_TSCONFIG, errors: 0 });
      expect(sources.length).toBeGreaterThan(0);
      for (const source of sources) {
        expect({ name, source, inSrc: source.startsWith(`${root}/src/`), spec: /\.(spec|int-spec|e2e-spec|spec-helper)\.ts$/.test(source) }).toEqual({ name, source, inSrc: true, spec: false });
      }
    }
  });

  it('builds each project into the one dist/ layout, with the root @ledgerline/* paths resolving to every lib index.ts', () => {
    expect(rootOptions.paths).toEqual({ '@ledgerline/*': ['./libs/*/src/index.ts'] });
    const libs = projects.filter(([, { type }]) => type === 'library');
    for (const [name, { sourceRoot, entryFile, compilerOptions }] of projects) {
      const { options } = parsed(String(compilerOptions?.tsConfigPath));
      expect({ name, rootDir: options.rootDir, outDir: options.outDir, paths: options.paths }).toEqual({ name, rootDir: ROOT, outDir: path.join(ROOT, 'dist'), paths: rootOptions.paths });
      const from = path.join(ROOT, `${sourceRoot}/${entryFile}.ts`);
      for (const [lib, { root: libRoot }] of libs) {
        const resolved = ts.resolveModuleName(`@ledgerline/${lib}`, from, options, ts.sys).resolvedModule?.resolvedFileName;
        expect({ name, lib, resolved }).toEqual({ name, lib, resolved: path.join(ROOT, `${libRoot}/src/index.ts`) });
      }
    }
  });

  it('is what npm run build runs: the whole build compiles every source a project build compiles, into the paths package.json runs', () => {
    expect(pkg.scripts.build).toMatch(/^nest build( |$)/);
    expect(wholeBuild.options.outDir).toBe(path.join(ROOT, 'dist'));
    expect(wholeBuild.options.paths).toEqual(rootOptions.paths);
    const built = new Set(wholeBuild.fileNames);
    for (const [name, { compilerOptions }] of projects) {
      const missing = parsed(String(compilerOptions?.tsConfigPath)).fileNames.filter((file) => !built.has(file));
      expect({ name, missing }).toEqual({ name, missing: [] });
    }
    const output = (project: Project) => `dist/${project.sourceRoot}/${project.entryFile}.js`;
    expect(pkg.scripts['start:prod']).toBe(`node ${output(nestCli.projects.api)}`);
    expect(Object.values(pkg.bin)).toEqual([output(nestCli.projects.verifier), output(nestCli.projects.witness)]);
    expect(pkg.scripts.witness).toBe(`node ${output(nestCli.projects.witness)}`);
  });
});
