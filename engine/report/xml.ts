// Escaping for the XML formats (checkstyle, junit). Everything written goes through `xmlEscape`, in element text and
// in double-quoted attributes alike, so any file name or message gives a well-formed XML 1.0 document.

/**
 * `&<>"'` become entities; tab, LF and CR become character references, so attribute-value normalisation keeps them.
 * Characters XML 1.0 does not allow at all, even as references (the other C0 controls, U+FFFE, U+FFFF, unpaired
 * surrogates), are written as visible `\uXXXX` text; C1 controls (allowed, but invisible) as references.
 */
export function xmlEscape(text: string): string {
  return text.replace(
    /[&<>"'\t\n\r\u0000-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (char) => {
      switch (char) {
        case '&':
          return '&amp;';
        case '<':
          return '&lt;';
        case '>':
          return '&gt;';
        case '"':
          return '&quot;';
        case "'":
          return '&apos;';
      }
      const code = char.charCodeAt(0);
      if (char === '\t' || char === '\n' || char === '\r' || (code >= 0x7f && code <= 0x9f)) return `&#x${code.toString(16).toUpperCase()};`;
      return `\\u${code.toString(16).padStart(4, '0')}`;
    },
  );
}

/** ` name="value"` for each defined attribute, escaped. */
export function xmlAttributes(attributes: Record<string, string | number | undefined>): string {
  return Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${xmlEscape(String(value))}"`)
    .join('');
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
