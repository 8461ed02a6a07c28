import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCallbackXml } from '../../src/channels/wecom/callback-xml.js';
import { openEnvelope, signatureMatches } from '../../src/channels/wecom/envelope.js';
import { randomAesKey, wecomDecrypt, wecomEncrypt, wecomSignature } from '../helpers/wecom-crypto.js';

/*
 * The fake WeCom's cryptography (test/helpers/wecom-crypto.ts, written from WeCom's documentation) and the
 * official @wecom/crypto package the bot uses agree with each other and with the worked examples of
 * WeCom's documentation (加解密方案说明, and the samples of its WXBizMsgCrypt libraries).
 */

const DOCS = {
  token: 'QDG6eK',
  corpId: 'wx5823bf96d3bd56c7',
  aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  verify: {
    signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    timestamp: '1409659589',
    nonce: '263014780',
    echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  },
  message: {
    signature: '477715d11cdb4164915debcba66cb864d751f3e6',
    timestamp: '1409659813',
    nonce: '1372623149',
    body:
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt>\n<AgentID><![CDATA[218]]></AgentID>\n</xml>',
  },
};

describe("WeCom's callback cryptography", () => {
  it("verifies the documentation's URL-verification example, in the fake and in the official package", () => {
    const { signature, timestamp, nonce, echostr } = DOCS.verify;
    expect(wecomSignature(DOCS.token, timestamp, nonce, echostr)).toBe(signature);
    expect(getSignature(DOCS.token, timestamp, nonce, echostr)).toBe(signature);
    expect(signatureMatches(DOCS.token, timestamp, nonce, echostr, signature)).toBe(true);
    expect(wecomDecrypt(DOCS.aesKey, echostr)).toEqual({ message: '1616140317555161061', receiveId: DOCS.corpId });
    expect(openEnvelope(DOCS.aesKey, DOCS.corpId, echostr)).toBe('1616140317555161061');
  });

  it("verifies and decrypts the documentation's message example to its text message", () => {
    const { signature, timestamp, nonce, body } = DOCS.message;
    const encrypted = parseCallbackXml(body)?.Encrypt ?? '';
    expect(wecomSignature(DOCS.token, timestamp, nonce, encrypted)).toBe(signature);
    expect(signatureMatches(DOCS.token, timestamp, nonce, encrypted, signature)).toBe(true);
    expect(signatureMatches(DOCS.token, timestamp, '1372623148', encrypted, signature)).toBe(false);
    const plain = openEnvelope(DOCS.aesKey, DOCS.corpId, encrypted);
    expect(plain).toBe(wecomDecrypt(DOCS.aesKey, encrypted).message);
    expect(parseCallbackXml(plain ?? '')).toMatchObject({
      ToUserName: DOCS.corpId,
      FromUserName: 'mycreate',
      CreateTime: '1409659813',
      MsgType: 'text',
      Content: 'hello',
      // A 64-bit id kept as written, not rounded to a JavaScript number.
      MsgId: '4561255354251345929',
      AgentID: '218',
    });
  });

  it('encrypts exactly as the official package does, and each opens what the other sealed', () => {
    const aesKey = randomAesKey();
    const random = randomBytes(16);
    const message = '<xml><Content><![CDATA[工业投资 19.6亿，两千三百万 ✅]]></Content></xml>';
    expect(wecomEncrypt(aesKey, message, 'ww0123456789abcdef', random)).toBe(encrypt(aesKey, message, 'ww0123456789abcdef', random));
    expect(decrypt(aesKey, wecomEncrypt(aesKey, message, 'ww0123456789abcdef'))).toMatchObject({ message, id: 'ww0123456789abcdef' });
    expect(wecomDecrypt(aesKey, encrypt(aesKey, message, 'ww0123456789abcdef'))).toEqual({ message, receiveId: 'ww0123456789abcdef' });
  });

  it('opens nothing encrypted for another enterprise, with another key, or not encrypted at all', () => {
    const aesKey = randomAesKey();
    const sealed = wecomEncrypt(aesKey, '<xml/>', 'ww-other');
    expect(openEnvelope(aesKey, 'ww-mine', sealed)).toBeUndefined();
    expect(openEnvelope(randomAesKey(), 'ww-other', sealed)).toBeUndefined();
    for (const junk of ['', 'abcd', 'not base64 at all!', Buffer.alloc(64, 7).toString('base64')]) {
      expect(openEnvelope(aesKey, 'ww-mine', junk), junk).toBeUndefined();
    }
  });

  it('reads only flat, well-formed callback XML', () => {
    expect(parseCallbackXml('<xml><Content><![CDATA[a <b> & c]]></Content><MsgId>1</MsgId></xml>')).toEqual({ Content: 'a <b> & c', MsgId: '1' });
    const refused = [
      '',
      'not xml',
      '<xml><a>1</b></xml>',
      '<xml><Content>1</Content><Content>2</Content></xml>',
      '<xml><Content><b>nested</b></Content></xml>',
      '<!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>',
      '<xml><__proto__>x</__proto__></xml>',
      '<other><Content>x</Content></other>',
    ];
    for (const xml of refused) expect(parseCallbackXml(xml), xml).toBeUndefined();
  });
});
