import { z } from "zod";

/**
 * Characters refused in client-written text, written once in RE2 syntax: Security Rules' `matches()` takes
 * RE2, and the zod schemas below compile the same source (tests/rules pins firestore.rules to these strings).
 * Names (org, project and display names) refuse C0 and C1 control characters (line breaks and tabs
 * included), DEL, the separators U+2028/U+2029, and the Unicode bidirectional controls (marks,
 * embeddings, overrides such as U+202E, isolates) that can make a name read differently from what it is,
 * in an email or on screen. Longer text (descriptions, settings values) allows tab, line feed and
 * carriage return.
 */
const BIDI = "\\x{61C}\\x{200E}\\x{200F}\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}";

/** Inside a character class: what names refuse. */
export const NAME_FORBIDDEN_CLASS = `\\x{0}-\\x{1F}\\x{7F}-\\x{9F}\\x{2028}\\x{2029}${BIDI}`;
/** Inside a character class: what longer text refuses. */
export const TEXT_FORBIDDEN_CLASS = `\\x{0}-\\x{8}\\x{B}\\x{C}\\x{E}-\\x{1F}\\x{7F}-\\x{9F}${BIDI}`;

/** Whole-string RE2 patterns as firestore.rules spells them (rules' `matches()` matches the whole string). */
export const NAME_PATTERN = `[^${NAME_FORBIDDEN_CLASS}]*`;
export const TEXT_PATTERN = `[^${TEXT_FORBIDDEN_CLASS}]*`;
/** A profile photo URL: https, with no spaces or control characters anywhere. */
export const PHOTO_URL_PATTERN = "https://[^\\x{0}-\\x{20}\\x{7F}-\\x{9F}]+";

/** Keys of `orgs/{orgId}.settings`: plain identifiers, so they never need quoting in a field path. */
export const SETTING_KEY_PATTERN = "[A-Za-z0-9_-]{1,100}";
/** Every key at once, as the rules check them: the keys joined by ",". */
export const SETTING_KEYS_PATTERN = `(${SETTING_KEY_PATTERN}(,${SETTING_KEY_PATTERN})*)?`;

/** An RE2 whole-string pattern as a JavaScript regular expression (`\x{…}` becomes `\u{…}`). */
export function jsPattern(re2: string): RegExp {
  return new RegExp(`^(?:${re2.replaceAll("\\x{", "\\u{")})$`, "u");
}

/** The same characters as a global JavaScript expression, for stripping them from text. */
export const NAME_FORBIDDEN = new RegExp(`[${NAME_FORBIDDEN_CLASS.replaceAll("\\x{", "\\u{")}]`, "gu");

const NAME_MESSAGE = "No control characters (line breaks, tabs) or bidirectional controls.";
const TEXT_MESSAGE = "No control characters other than tab and line breaks, and no bidirectional controls.";

/** A name of at most `max` characters, without the characters NAME_PATTERN refuses. */
export function nameText(max: number) {
  return z.string().min(1).max(max).regex(jsPattern(NAME_PATTERN), NAME_MESSAGE);
}

/** Longer text of at most `max` characters, without the characters TEXT_PATTERN refuses. */
export function longText(max: number) {
  return z.string().max(max).regex(jsPattern(TEXT_PATTERN), TEXT_MESSAGE);
}

export const SettingKey = z.string().regex(jsPattern(SETTING_KEY_PATTERN), "1 to 100 of A-Z a-z 0-9 _ -.");
