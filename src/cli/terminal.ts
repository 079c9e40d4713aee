/**
 * Makes tenant-controlled text safe to print on a terminal. App names, user agents and policy
 * names come from the tenant or from an attacker's client, and raw ESC or other control bytes in
 * them could recolour lines, retitle the terminal or erase earlier output. Control characters
 * (C0 except tab and newline, DEL, C1) are shown as `\xNN` escapes instead.
 */
export function toTerminalText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (character) => {
    return `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** Like `toTerminalText`, and also escapes newlines and tabs, for one-line fields such as a user agent. */
export function toTerminalField(text: string): string {
  return toTerminalText(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}
