// @ts-check
// A local ESLint rule: which folders and packages a folder may import. `no-restricted-imports` matches
// the import's text, so `../../server/x.ts` and `../x.ts` cannot be told apart by depth; this rule
// resolves a relative import against the importing file and checks where it lands.
import path from 'node:path';

/** @param {string} rel a path relative to the repository root, with forward slashes */
const under = (rel, dir) => rel === dir || rel.startsWith(`${dir}/`);

/** The package an import names: `zod`, `zod/mini` → zod; `@scope/x/y` → @scope/x; `node:fs` → node:fs. */
function packageOf(source) {
  if (source.startsWith('node:')) return source;
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? source);
}

/** @type {import('eslint').Rule.RuleModule} */
export const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Restrict which folders and packages a folder may import.' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          allowDirs: { type: 'array', items: { type: 'string' } },
          allowPackages: { type: 'array', items: { type: 'string' } },
          denyPackages: { type: 'array', items: { type: 'string' } },
          message: { type: 'string' },
        },
        required: ['root', 'allowDirs'],
        additionalProperties: false,
      },
    ],
    messages: {
      dir: "'{{source}}' resolves to {{target}}, outside what this folder may import ({{allowed}}). {{message}}",
      pkg: "Package '{{pkg}}' is not allowed here. {{message}}",
    },
  },
  create(context) {
    const { root, allowDirs, allowPackages, denyPackages = [], message = '' } = context.options[0];
    const file = context.filename;
    const check = (/** @type {any} */ node, /** @type {unknown} */ source) => {
      if (typeof source !== 'string') return;
      if (source.startsWith('.') || source.startsWith('/')) {
        const target = path.relative(root, path.resolve(path.dirname(file), source)).split(path.sep).join('/');
        if (!allowDirs.some((d) => under(target, d))) {
          context.report({ node, messageId: 'dir', data: { source, target, allowed: allowDirs.join(', '), message } });
        }
        return;
      }
      const pkg = packageOf(source);
      const denied = denyPackages.some((p) => pkg === p || (p.endsWith('*') && pkg.startsWith(p.slice(0, -1))));
      if (denied || (allowPackages && !allowPackages.includes(pkg))) {
        context.report({ node, messageId: 'pkg', data: { pkg, message } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};
