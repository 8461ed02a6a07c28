import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/*
 * WeCom's callback cryptography as WeCom's documentation describes it (加解密方案说明), written here for the
 * fake WeCom server independently of the @wecom/crypto package the bot uses, so that each checks the
 * other (test/channels/wecom-crypto.test.ts also checks both against the documentation's examples).
 *   AESKey = Base64_Decode(EncodingAESKey + "="), 32 bytes; IV = its first 16 bytes; AES-256-CBC;
 *   plaintext = random(16 bytes) + msg_len(4 bytes, network order) + msg + receiveid, PKCS#7 to 32 bytes;
 *   msg_signature = SHA1 of the sorted strings token, timestamp, nonce, msg_encrypt, concatenated.
 */

function keyOf(encodingAesKey: string): { key: Buffer; iv: Buffer } {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new Error('an EncodingAESKey is 43 characters of base64');
  return { key, iv: key.subarray(0, 16) };
}

/** WeCom's msg_signature over a callback's values. */
export function wecomSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
}

/** Encrypts `message` for `receiveId` (the CorpID) as WeCom does; base64. */
export function wecomEncrypt(encodingAesKey: string, message: string, receiveId: string, random = randomBytes(16)): string {
  const { key, iv } = keyOf(encodingAesKey);
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([random, length, body, Buffer.from(receiveId, 'utf8')]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

/** Decrypts what WeCom (or the bot) encrypted: the message and the id it was for. */
export function wecomDecrypt(encodingAesKey: string, encrypted: string): { message: string; receiveId: string } {
  const { key, iv } = keyOf(encodingAesKey);
  const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
  const plain = padded.subarray(0, padded.length - padded[padded.length - 1]!);
  const length = plain.readUInt32BE(16);
  return { message: plain.subarray(20, 20 + length).toString('utf8'), receiveId: plain.subarray(20 + length).toString('utf8') };
}

/** A random EncodingAESKey, as the admin console makes one: 43 letters and digits. */
export function randomAesKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  // The 43rd character carries only 4 bits of the key; any letter or digit decodes.
  return Array.from(randomBytes(43), (byte) => alphabet[byte % alphabet.length]).join('');
}
