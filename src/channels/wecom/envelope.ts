import { timingSafeEqual } from 'node:crypto';
import { decrypt, getSignature } from '@wecom/crypto';

/*
 * WeCom's callback cryptography, done by WeCom's own package (@wecom/crypto): msg_signature is the SHA-1
 * of the sorted Token, timestamp, nonce and ciphertext; the ciphertext is AES-256-CBC under the
 * EncodingAESKey, holding 16 random bytes, the message's length, the message and the CorpID it is for.
 */

/** Whether `signature` is WeCom's msg_signature over these values (compared in constant time). */
export function signatureMatches(token: string, timestamp: string, nonce: string, encrypted: string, signature: string): boolean {
  const expected = Buffer.from(getSignature(token, timestamp, nonce, encrypted), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The plaintext of a ciphertext WeCom encrypted for `corpId`, or undefined when it does not decrypt to a
 * message for that enterprise (a wrong key, a mangled ciphertext, another enterprise's message).
 */
export function openEnvelope(aesKey: string, corpId: string, encrypted: string): string | undefined {
  try {
    const { message, id } = decrypt(aesKey, encrypted);
    return id === corpId && message !== '' ? message : undefined;
  } catch {
    // Not a whole number of AES blocks, or not base64 at all.
    return undefined;
  }
}
