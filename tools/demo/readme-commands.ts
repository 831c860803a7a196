// The README's shell commands as the demo's end-to-end test runs them: every ```bash block, with
// each curl call's documented status taken from the "(→ NNN)" at the end of the comment above it.

/** One ```bash block of a markdown document, with the line it starts on. */
export interface BashBlock {
  line: number;
  code: string;
}

/** Every fenced ```bash block of `markdown`, in order. */
export function bashBlocks(markdown: string): BashBlock[] {
  const blocks: BashBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```bash') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** Logical command lines of a block (continuations joined), without comments and blank lines. */
export function commandsOf(code: string): string[] {
  return code
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

/** How many times a command line runs curl (`curl …`, `$(curl …`, `| curl …`). */
export function curlCalls(command: string): number {
  return (command.match(/(^|\$\(|\|\s*|;\s*|&&\s*)curl\s/g) ?? []).length;
}

/** The status documented for the commands under each "(→ NNN)" comment. */
const EXPECTATION = /\(→ (\d{3})\)\s*$/;

/**
 * A bash script running `code` as written, except that `curl` is a function recording each call's
 * HTTP status with the status documented above it (to the file in $CURL_LOG, one "expected actual"
 * line per call), and `source <demo env file>` reads `envFile`.
 */
export function checkedScript(code: string, envFile: string): string {
  const preamble = [
    'set -eu',
    'curl() {',
    '  local body status',
    '  body=$(mktemp)',
    `  status=$(command curl -o "$body" -w '%{http_code}' "$@") || status="exit-$?"`,
    '  echo "${EXPECT:-none} $status $*" >> "$CURL_LOG"',
    '  cat "$body"; echo; rm -f "$body"',
    '}',
  ];
  const lines = code.split('\n').map((line) => {
    const expected = line.trim().startsWith('#') ? EXPECTATION.exec(line) : null;
    if (expected) return `EXPECT=${expected[1]}\n${line}`;
    return line.replace(/^source \.cache\/demo\/env\.sh/, `source '${envFile.replace(/'/g, `'\\''`)}'`);
  });
  return `${preamble.join('\n')}\n${lines.join('\n')}\n`;
}

/** Parses the $CURL_LOG lines: what each curl call was documented to answer and what it did. */
export function curlLog(text: string): Array<{ expected: string; actual: string; args: string }> {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [expected, actual, ...args] = line.split(' ');
      return { expected, actual, args: args.join(' ') };
    });
}
