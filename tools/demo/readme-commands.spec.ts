import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bashBlocks, checkedScript, commandsOf, curlCalls, curlLog } from './readme-commands';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README commands', () => {
  it('finds the fenced bash blocks and their logical commands', () => {
    const blocks = bashBlocks('text\n```bash\nnpm run up   # start\n```\n```\nnot bash\n```\n```bash\n# a comment\ncurl -s "$GW/x" \\\n  -H "a: b"\n```\n');
    expect(blocks.map((b) => b.line)).toEqual([3, 9]);
    expect(commandsOf(blocks[1].code)).toEqual(['curl -s "$GW/x"    -H "a: b"']);
    expect(curlCalls('ORDER=$(curl -s x | node -pe 1)')).toBe(1);
    expect(curlCalls('echo curly')).toBe(0);
  });

  it('documents a status above every curl call of the README', () => {
    for (const block of bashBlocks(README)) {
      let expected: string | undefined;
      for (const line of block.code.replace(/\\\n/g, ' ').split('\n')) {
        const status = /\(→ (\d{3})\)\s*$/.exec(line)?.[1];
        if (line.trim().startsWith('#') && status) expected = status;
        if (curlCalls(line.trim()) > 0) expect({ line: line.trim().slice(0, 60), expected }).toEqual({ line: line.trim().slice(0, 60), expected: expect.stringMatching(/^\d{3}$/) });
      }
    }
  });

  it('runs a block as written, with curl recording its status against the documented one and the env file substituted', () => {
    const script = checkedScript('source .cache/demo/env.sh\n# Read it (→ 200)\ncurl -s "$GW/a"', "/tmp/it's/env.sh");
    expect(script).toContain("source '/tmp/it'\\''s/env.sh'");
    expect(script).toContain('EXPECT=200\n# Read it (→ 200)\ncurl -s "$GW/a"');
    expect(curlLog('200 200 -s x\n201 409 -X POST y\n')).toEqual([
      { expected: '200', actual: '200', args: '-s x' },
      { expected: '201', actual: '409', args: '-X POST y' },
    ]);
  });
});
