// Renders each BPMN model to a PNG as Cockpit would draw it (bpmn-js, the library Camunda's webapps use), in
// headless Chromium. Run through ./render, which installs bpmn-js in a temporary folder (nothing is committed but
// the pictures). Usage: node render.mjs <bpmn-js dir> <out dir> <model.bpmn>...
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';

const [bpmnJs, outDir, ...models] = process.argv.slice(2);
const viewer = readFileSync(join(bpmnJs, 'dist/bpmn-viewer.production.min.js'), 'utf8');
const css = ['diagram-js.css', 'bpmn-js.css'].map(f => readFileSync(join(bpmnJs, 'dist/assets', f), 'utf8')).join('\n');
const work = mkdtempSync(join(tmpdir(), 'render-'));
const margin = 30;

for (const model of models) {
  const xml = readFileSync(model, 'utf8');
  const xs = [], ys = [];
  const attribute = (tag, name) => +tag.match(new RegExp(`\\b${name}="([-\\d.]+)"`))[1];
  for (const [tag] of xml.matchAll(/<dc:Bounds [^>]*>/g)) {
    const x = attribute(tag, 'x'), y = attribute(tag, 'y');
    xs.push(x, x + attribute(tag, 'width')); ys.push(y, y + attribute(tag, 'height'));
  }
  for (const [tag] of xml.matchAll(/<di:waypoint [^>]*>/g)) { xs.push(attribute(tag, 'x')); ys.push(attribute(tag, 'y')); }
  // Labels without bounds are drawn below their element; leave room for them.
  const box = { x: Math.min(...xs) - margin, y: Math.min(...ys) - margin,
    width: Math.max(...xs) - Math.min(...xs) + 2 * margin, height: Math.max(...ys) - Math.min(...ys) + 2 * margin + 30 };
  const page = join(work, basename(model) + '.html');
  writeFileSync(page, `<!doctype html><html><head><meta charset="utf-8"><style>${css}
    html,body,#canvas{margin:0;padding:0;width:${box.width}px;height:${box.height}px;background:#fff;overflow:hidden}</style>
    </head><body><div id="canvas"></div><script>${viewer}</script><script>
    const viewer = new BpmnJS({ container: '#canvas' });
    viewer.importXML(${JSON.stringify(xml)}).then(() => {
      viewer.get('canvas').zoom('fit-viewport');
    }).catch(e => { document.body.innerText = 'RENDER FAILED: ' + e.message; });
    </script></body></html>`);
  const out = join(outDir, basename(model, '.bpmn') + '.png');
  execFileSync(process.env.CHROMIUM || '/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu',
    '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--hide-scrollbars', `--user-data-dir=${mkdtempSync(join(work, 'profile-'))}`, '--virtual-time-budget=5000',
    `--window-size=${Math.ceil(box.width)},${Math.ceil(box.height)}`, `--screenshot=${out}`, 'file://' + page],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  console.log(`${out} (${Math.ceil(box.width)}x${Math.ceil(box.height)})`);
}
