import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withResultsSection } from '../bench-support';

const sections = (text: string) => text.split('\n').filter((line) => line.startsWith('## '));

const FILE = `# Benchmark results

Each section is written by its benchmark; the command that produced it is in the section.

## Quotes: compareQuotes across 12 to 100 carriers (bench:quotes)

Command: \`npm run bench:quotes\`
Machine: one.

## Quotes before and after the architecture v2 layout (bench:quotes, by hand)

By hand.

\`\`\`
## not a heading: inside a code block
\`\`\`

## Soak: realistic mix held for 10 minutes (bench:soak)

Old soak.

## Fuzz: hostile input against the gateway (test:fuzz)

Fuzz.
`;

describe('withResultsSection (bench/RESULTS.md, one section per benchmark)', () => {
  it('replaces only the section whose whole heading is the title, not one it is a prefix of', () => {
    const next = withResultsSection(FILE, 'Quotes: compareQuotes across 12 to 100 carriers (bench:quotes)', 'Command: new\nMachine: two.');
    expect(sections(next)).toEqual(sections(FILE));
    expect(next).toContain('Command: new\nMachine: two.\n\n## Quotes before and after');
    expect(next).not.toContain('Machine: one.');
    // Everything after the replaced section is byte for byte what it was.
    expect(next.slice(next.indexOf('## Quotes before'))).toBe(FILE.slice(FILE.indexOf('## Quotes before')));
  });

  it('appends a new benchmark at the end and drops no other', () => {
    const next = withResultsSection(FILE, 'Scale-out: two gateways on one Redis (test:scale)', 'Scaled.');
    expect(sections(next)).toEqual([...sections(FILE), '## Scale-out: two gateways on one Redis (test:scale)']);
    expect(next.startsWith(FILE)).toBe(true);
    expect(next.endsWith('\n\n## Scale-out: two gateways on one Redis (test:scale)\n\nScaled.\n')).toBe(true);
  });

  it('treats "## " inside a fenced code block as text of its section', () => {
    const next = withResultsSection(FILE, 'Quotes before and after the architecture v2 layout (bench:quotes, by hand)', 'Again by hand.');
    expect(next).not.toContain('## not a heading');
    expect(sections(next)).toEqual(sections(FILE).filter((s) => s !== '## not a heading: inside a code block'));
  });

  it('removes the sections a benchmark names as its own earlier titles, keeping its place', () => {
    const next = withResultsSection(FILE, 'Soak with Redis: realistic mix held for 3 minutes (bench:soak)', 'New soak.', [
      'Soak: realistic mix held for ',
      'Soak with Redis: realistic mix held for ',
    ]);
    expect(sections(next)).toEqual([
      '## Quotes: compareQuotes across 12 to 100 carriers (bench:quotes)',
      '## Quotes before and after the architecture v2 layout (bench:quotes, by hand)',
      '## not a heading: inside a code block',
      '## Soak with Redis: realistic mix held for 3 minutes (bench:soak)',
      '## Fuzz: hostile input against the gateway (test:fuzz)',
    ]);
    expect(next).not.toContain('Old soak.');
    // The other cache mode's section is another benchmark's: kept.
    const both = withResultsSection(next, 'Soak without Redis: realistic mix held for 3 minutes (bench:soak)', 'In process.', [
      'Soak without Redis: realistic mix held for ',
    ]);
    expect(both).toContain('New soak.');
    expect(both).toContain('In process.');
  });

  it('starts a missing file with its preamble', () => {
    const next = withResultsSection('', 'Cases (bench:cases)', 'Cases.');
    expect(next).toBe(
      '# Benchmark results\n\nEach section is written by its benchmark; the command that produced it is in the section.\n\n## Cases (bench:cases)\n\nCases.\n',
    );
  });

  it('keeps every section of the committed RESULTS.md when one of them is rewritten as it is', () => {
    const text = readFileSync(join(__dirname, '..', 'RESULTS.md'), 'utf8');
    const title = sections(text)[0].slice(3);
    const start = text.indexOf(`## ${title}\n`) + title.length + 4;
    const end = text.indexOf('\n## ', start);
    expect(withResultsSection(text, title, text.slice(start, end))).toBe(text);
  });
});
