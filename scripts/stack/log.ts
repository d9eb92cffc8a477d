/** Terminal output for the stack: one labelled line per event, colours only on a TTY. */
const tty = process.stdout.isTTY === true;
const paint = (code: number) => (text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);

export const dim = paint(90);
export const bold = paint(1);
export const green = paint(32);
export const red = paint(31);
export const yellow = paint(33);
export const cyan = paint(36);

function line(label: string, text: string): string {
  return `${dim(label.padEnd(9))} ${text}`;
}

export const log = {
  info: (label: string, text: string) => console.log(line(label, text)),
  ok: (label: string, text: string) => console.log(line(label, green(text))),
  warn: (label: string, text: string) => console.log(line(label, yellow(text))),
  error: (label: string, text: string) => console.error(line(label, red(text))),
  /** Raw output of a child process, prefixed so it is clear where it came from. */
  child: (label: string, text: string) => console.log(line(label, text)),
};
