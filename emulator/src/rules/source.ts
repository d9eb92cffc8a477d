/** Rules source text with offset → line/column mapping and caret rendering for diagnostics. */

/** A half-open range of UTF-16 offsets into one source text. */
export interface Span {
  start: number;
  end: number;
}

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export class Source {
  readonly text: string;
  readonly fileName: string;
  private readonly lineStarts: number[];

  constructor(text: string, fileName = "firestore.rules") {
    this.text = text;
    this.fileName = fileName;
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }

  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, "");
  }

  /** `file:line:col: message` followed by the source line and a caret under the span. */
  render(span: Span, message: string): string {
    const { line, column } = this.position(span.start);
    const text = this.lineText(line);
    const width = Math.max(1, Math.min(span.end - span.start, text.length - column + 1));
    return `${this.fileName}:${line}:${column}: ${message}\n${text}\n${" ".repeat(column - 1)}${"^".repeat(width)}`;
  }
}
