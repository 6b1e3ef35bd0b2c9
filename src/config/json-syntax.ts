import { printParseErrorCode, type ParseError } from 'jsonc-parser';

/**
 * A JSON syntax error of a configuration file in plain words ("a trailing comma is not allowed"),
 * not jsonc-parser's code names ("PropertyNameExpected", "InvalidSymbol"), which read as jargon
 * to someone fixing a file by hand. `text` is the file, `error` the parser's first error.
 */
export function describeSyntaxError(text: string, error: ParseError): string {
  const atEnd = text.slice(error.offset).trim() === '';
  const found = text.slice(error.offset, error.offset + Math.max(1, Math.min(error.length, 20)));
  // By name: the codes are a const enum, which isolated modules cannot read.
  switch (printParseErrorCode(error.error)) {
    case 'ValueExpected':
      if (text.trim() === '') return 'the file is empty (a configuration is a JSON object: {} for the defaults)';
      if (atEnd) return 'unexpected end of the file: a value is missing';
      return previousSymbol(text, error.offset) === ',' ? 'a trailing comma is not allowed' : `expected a value, got ${JSON.stringify(found)}`;
    case 'PropertyNameExpected':
      return previousSymbol(text, error.offset) === ','
        ? 'a trailing comma is not allowed'
        : `expected a property name in double quotes, got ${JSON.stringify(found)}`;
    case 'InvalidSymbol':
      return `unexpected ${JSON.stringify(found)} (names and strings take double quotes; values are true, false, null, numbers, strings, objects and arrays)`;
    case 'ColonExpected':
      return 'expected ":" after the property name';
    case 'CommaExpected':
      return 'expected "," between two entries';
    case 'CloseBraceExpected':
      return atEnd ? 'unexpected end of the file: "}" is missing' : 'expected "," or "}" after the property value';
    case 'CloseBracketExpected':
      return atEnd ? 'unexpected end of the file: "]" is missing' : 'expected "," or "]" after the array element';
    case 'EndOfFileExpected':
      return 'unexpected text after the end of the configuration object';
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return 'comments are not allowed in JSON';
    case 'UnexpectedEndOfString':
      return 'a string is not closed (a line break in a string must be written \\n)';
    case 'InvalidNumberFormat':
    case 'UnexpectedEndOfNumber':
      return 'a number is not written as JSON writes numbers';
    case 'InvalidUnicode':
      return 'a \\u escape needs four hexadecimal digits';
    case 'InvalidEscapeCharacter':
      return 'an invalid escape in a string (a backslash is written \\\\)';
    case 'InvalidCharacter':
      return 'a control character in a string (a tab is written \\t)';
    default:
      return 'a syntax error';
  }
}

/** The last character before `offset` that is not white space. */
function previousSymbol(text: string, offset: number): string | undefined {
  return text.slice(0, offset).trimEnd().at(-1);
}
