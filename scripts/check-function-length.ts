// tsx scripts/check-function-length.ts [FILE...]
// Every function, method, accessor, constructor and arrow function in the product's code (tests and
// generated files aside) fits in MAX_FUNCTION_LINES lines, counted from its first line to its last. A
// longer one is printed as `file:line name length` and the exit status is 1. With no FILE, the files
// are the ones git tracks.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const MAX_FUNCTION_LINES = 60;

/** Not checked: tests and their support, generated code. */
const SKIPPED = [/\.test\.ts$/, /^test\//, /^bot\/gql\//, /^db\/migrations\//, /^dist\//, /\.d\.ts$/];

export interface LongFunction {
  file: string;
  line: number;
  name: string;
  length: number;
}

export function isChecked(path: string): boolean {
  return path.endsWith('.ts') && !SKIPPED.some((pattern) => pattern.test(path));
}

type FunctionNode = ts.FunctionLikeDeclaration;

function isFunction(node: ts.Node): node is FunctionNode {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

function nameOf(node: FunctionNode, source: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name) return node.name.getText(source);
  // An anonymous function takes the name it is bound to: `const f = () => …`, `{ f: () => … }`, `x.f = …`.
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name) return parent.name.getText(source);
  if (ts.isBinaryExpression(parent)) return parent.left.getText(source);
  if (ts.isCallExpression(parent)) return `<callback of ${parent.expression.getText(source).slice(0, 40)}>`;
  return '<anonymous>';
}

/** The functions of one file's text that are longer than `max` lines. */
export function longFunctionsIn(file: string, text: string, max = MAX_FUNCTION_LINES): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunction(node) && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const length = last - first + 1;
      if (length > max) found.push({ file, line: first + 1, name: nameOf(node, source), length });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function trackedFiles(root: string): string[] {
  return execFileSync('git', ['ls-files', '-z', '--', '*.ts'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
}

export function checkFiles(root: string, files: readonly string[], max = MAX_FUNCTION_LINES): LongFunction[] {
  return files
    .map((file) => relative(root, resolve(root, file)))
    .filter(isChecked)
    .flatMap((file) => longFunctionsIn(file, readFileSync(resolve(root, file), 'utf8'), max));
}

function main(): void {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const args = process.argv.slice(2);
  const files = args.length > 0 ? args.map((file) => relative(root, resolve(file))) : trackedFiles(root);
  const offenders = checkFiles(root, files);
  for (const { file, line, name, length } of offenders) process.stdout.write(`${file}:${line} ${name} ${length}\n`);
  if (offenders.length > 0) {
    process.stderr.write(`${offenders.length} function(s) longer than ${MAX_FUNCTION_LINES} lines: split each into named steps.\n`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
