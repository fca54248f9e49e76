// Checks what `npm pack` would publish: only dist/ plus README, LICENSE and package.json; every
// node and credential listed in package.json present; no test, fixture, sandbox or map files;
// no runtime dependencies.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
const files = report.files.map((file) => file.path);
const problems = [];

const allowedTop = new Set(['package.json', 'README.md', 'LICENSE']);
for (const file of files) {
	if (!file.startsWith('dist/') && !allowedTop.has(file)) problems.push(`unexpected file in the package: ${file}`);
	if (/(^|\/)(test|tests|__tests__|fixtures|sandbox)(\/|$)|\.test\.|\.spec\.|\.map$|\.ts$/.test(file) && !file.endsWith('.d.ts')) {
		problems.push(`test or source artefact in the package: ${file}`);
	}
}
for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
	if (!files.includes(entry)) problems.push(`${entry} is listed in package.json but not packed`);
}
for (const required of ['README.md', 'LICENSE', 'package.json']) if (!files.includes(required)) problems.push(`${required} missing`);
if (pkg.dependencies && Object.keys(pkg.dependencies).length) problems.push('package.json has runtime dependencies');
if (JSON.stringify(pkg.peerDependencies) !== JSON.stringify({ 'n8n-workflow': '*' })) problems.push('peerDependencies must be exactly {"n8n-workflow": "*"}');

if (problems.length) {
	console.error(problems.join('\n'));
	process.exit(1);
}
console.log(`npm pack: ${files.length} files, ${(report.size / 1024).toFixed(1)} kB packed; only dist/, README.md, LICENSE, package.json.`);
