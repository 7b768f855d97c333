// compromise on the same texts as bench_analyze: people, places,
// organisations and quotations of each file, timed in CPU seconds.
// Usage: node run.js [--label L] [--seconds S] FILE...
// Prints TSV rows (metric, value, unit). With --seconds, stops after about
// S CPU seconds and reports the throughput on the files it got through.
'use strict';
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
let label = 'text';
let budget = Infinity;
while (args.length && args[0].startsWith('--')) {
  const opt = args.shift();
  if (opt === '--label') label = args.shift();
  else if (opt === '--seconds') budget = Number(args.shift());
  else {
    console.error(`unknown option ${opt}`);
    process.exit(2);
  }
}
const modules = process.env.VB_COMPROMISE_MODULES || path.join(__dirname, 'node_modules');
const loaded = require(path.join(modules, 'compromise'));
const nlp = typeof loaded === 'function' ? loaded : loaded.default;
const texts = args.map((f) => fs.readFileSync(f, 'utf8'));

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

let bytes = 0, docs = 0, people = 0, places = 0, orgs = 0, quotes = 0;
const t0 = cpu();
for (const text of texts) {
  const doc = nlp(text);
  people += doc.people().out('array').length;
  places += doc.places().out('array').length;
  orgs += doc.organizations().out('array').length;
  quotes += doc.quotations().out('array').length;
  bytes += Buffer.byteLength(text, 'utf8');
  docs++;
  if (cpu() - t0 > budget) break;
}
const secs = cpu() - t0;
const mb = bytes / 1048576;
const row = (m, v, u) => process.stdout.write(`${m}\t${v}\t${u}\n`);
row(`compromise_text_${label}`, mb.toFixed(2), 'MB');
row(`compromise_documents_${label}`, docs, 'docs');
row(`compromise_analyze_${label}`, (mb / secs).toFixed(3), 'MB/s');
row(`compromise_entities_${label}`, people + places + orgs, 'found');
row(`compromise_quotes_${label}`, quotes, 'found');
