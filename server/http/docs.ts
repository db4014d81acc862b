// A small, dependency-free reader for the OpenAPI document, served from this server (no CDN): the
// page, its script and its style are separate files so the strict CSP (script-src 'self') holds.

export const docsHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Veilig Pad API v1</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/api/v1/docs/docs.css">
<script src="/api/v1/docs/docs.js" defer></script>
</head>
<body>
<header><h1>Veilig Pad API v1</h1><p id="intro">Loading <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>…</p></header>
<nav id="toc" aria-label="Operations"></nav>
<main id="ops"></main>
<section id="schemas" aria-labelledby="schemas-title"></section>
</body>
</html>
`;

export const docsCss = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1rem 2rem; color: #1b1b1b; }
h1 { margin-bottom: .25rem; } h2 { border-bottom: 2px solid #154273; padding-bottom: .25rem; margin-top: 2rem; }
a { color: #154273; } code, pre { font-family: ui-monospace, monospace; font-size: 13px; }
pre { background: #f3f3f3; padding: .75rem; overflow: auto; border-radius: 4px; }
.op { border: 1px solid #ccc; border-radius: 6px; margin: 1rem 0; padding: .5rem 1rem; }
.method { display: inline-block; min-width: 4.5rem; font-weight: bold; text-transform: uppercase; }
.get { color: #0b6e0b; } .post { color: #154273; } .delete { color: #a4001d; }
table { border-collapse: collapse; margin: .5rem 0; } td, th { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; }
#toc ul { columns: 2; } .muted { color: #555; }
`;

export const docsJs = `'use strict';
(function () {
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function schemaBlock(schema) {
    if (!schema) return el('span', { class: 'muted' }, ['(none)']);
    if (schema.$ref) {
      var name = schema.$ref.split('/').pop();
      return el('a', { href: '#schema-' + name }, [name]);
    }
    return el('pre', {}, [JSON.stringify(schema, null, 2)]);
  }
  function render(doc) {
    document.getElementById('intro').textContent = (doc.info && doc.info.description) || '';
    var toc = el('ul'), ops = document.getElementById('ops');
    var byTag = {};
    // Paths are relative to the server (\`/api/v1\`); show them as they are called.
    var base = (doc.servers && doc.servers[0] && doc.servers[0].url) || '';
    Object.keys(doc.paths || {}).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        var op = doc.paths[path][method];
        var tag = (op.tags && op.tags[0]) || 'Other';
        (byTag[tag] = byTag[tag] || []).push({ path: base + path, method: method, op: op });
      });
    });
    Object.keys(byTag).forEach(function (tag) {
      ops.append(el('h2', {}, [tag]));
      byTag[tag].forEach(function (item) {
        var id = item.op.operationId || (item.method + item.path);
        toc.append(el('li', {}, [el('a', { href: '#' + id }, [item.method.toUpperCase() + ' ' + item.path])]));
        var box = el('section', { class: 'op', id: id }, [
          el('h3', {}, [el('span', { class: 'method ' + item.method }, [item.method]), ' ', el('code', {}, [item.path])]),
          el('p', {}, [item.op.summary || '']),
        ]);
        if (item.op.description) box.append(el('p', { class: 'muted' }, [item.op.description]));
        box.append(el('p', {}, [item.op.security && item.op.security.length ? 'Requires a session (cookie or bearer).' : 'Public.']));
        if (item.op.parameters && item.op.parameters.length) {
          var table = el('table', {}, [el('tr', {}, [el('th', {}, ['in']), el('th', {}, ['name']), el('th', {}, ['required']), el('th', {}, ['schema'])])]);
          item.op.parameters.forEach(function (p) {
            table.append(el('tr', {}, [el('td', {}, [p.in]), el('td', {}, [el('code', {}, [p.name])]), el('td', {}, [p.required ? 'yes' : 'no']), el('td', {}, [schemaBlock(p.schema)])]));
          });
          box.append(el('h4', {}, ['Parameters']), table);
        }
        var body = item.op.requestBody && item.op.requestBody.content && item.op.requestBody.content['application/json'];
        if (body) box.append(el('h4', {}, ['Request body']), schemaBlock(body.schema));
        var responses = el('table', {}, [el('tr', {}, [el('th', {}, ['status']), el('th', {}, ['meaning']), el('th', {}, ['body'])])]);
        Object.keys(item.op.responses || {}).forEach(function (status) {
          var r = item.op.responses[status];
          var content = r.content ? r.content[Object.keys(r.content)[0]] : null;
          responses.append(el('tr', {}, [el('td', {}, [status]), el('td', {}, [r.description || '']), el('td', {}, [content ? schemaBlock(content.schema) : ''])]));
        });
        box.append(el('h4', {}, ['Responses']), responses);
        ops.append(box);
      });
    });
    document.getElementById('toc').append(toc);
    var schemas = document.getElementById('schemas');
    schemas.append(el('h2', { id: 'schemas-title' }, ['Schemas']));
    var comps = (doc.components && doc.components.schemas) || {};
    Object.keys(comps).sort().forEach(function (name) {
      schemas.append(el('details', { id: 'schema-' + name }, [el('summary', {}, [name]), el('pre', {}, [JSON.stringify(comps[name], null, 2)])]));
    });
  }
  fetch('/api/v1/openapi.json', { headers: { Accept: 'application/json' } })
    .then(function (r) { return r.json(); })
    .then(render)
    .catch(function (e) { document.getElementById('intro').textContent = 'Could not load the OpenAPI document: ' + e; });
})();
`;
