import QRCode from 'qrcode';
import { qrcodeValueToImageUrl } from 'wechaty';

/** The page that shows a login QR code as an image (wechaty's own helper builds the address). */
export function qrcodeImageUrl(qrcode: string): string {
  return qrcodeValueToImageUrl(qrcode);
}

/** The QR code drawn with block characters for a terminal, or undefined when it cannot be drawn. */
export async function renderQrcodeForTerminal(qrcode: string): Promise<string | undefined> {
  try {
    return await QRCode.toString(qrcode, { type: 'terminal', small: true });
  } catch {
    return undefined;
  }
}

/** Prints the login QR code (when it can be drawn) and its URL on stdout, where the operator looks. */
export async function printLoginQrcode(qrcode: string): Promise<void> {
  const art = await renderQrcodeForTerminal(qrcode);
  const lines = ['用微信扫描下面的二维码登录报数助手 / Scan with WeChat to log the bot in:'];
  if (art) lines.push(art);
  lines.push(qrcodeImageUrl(qrcode), '');
  process.stdout.write(lines.join('\n'));
}
