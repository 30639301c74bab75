import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NoteError } from '../integrity.errors';
import { VECTORS_DIR } from '../test-support/vectors';
import { openNote, signNote } from './signed-note';
import { encodeVerifierKey, parseVerifierKey } from './verifier-key';

const example = JSON.parse(fs.readFileSync(path.join(VECTORS_DIR, 'signed-note', 'example.json'), 'utf8')) as {
  vkey: string;
  note: string;
  text: string;
  valid: boolean;
};

function expectNoteError(fn: () => unknown, code: NoteError['code']): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(NoteError);
    expect((error as NoteError).code).toBe(code);
    return;
  }
  throw new Error('expected a NoteError');
}

describe('verifier keys', () => {
  it('parse the C2SP example and re-encode to the same text', () => {
    const key = parseVerifierKey(example.vkey);
    expect(key.name).toBe('example.com/foo');
    expect(key.keyId).toBe(0x530d903a);
    expect(encodeVerifierKey(key.name, key.publicKey)).toBe(example.vkey);
  });

  it('round-trip a generated key', () => {
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const vkey = encodeVerifierKey('localhost/ledgerline', privateKey);
    expect(vkey).toMatch(/^localhost\/ledgerline\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(parseVerifierKey(vkey).publicKey.equals(crypto.createPublicKey(privateKey))).toBe(true);
  });

  it('parse keys whose base64 holds a "+"', () => {
    let vkey = '';
    while (!vkey.split('+').slice(2).join('+').includes('+')) vkey = encodeVerifierKey('n', crypto.generateKeyPairSync('ed25519').publicKey);
    expect(parseVerifierKey(vkey).vkey).toBe(vkey);
  });

  it.each([
    ['a wrong key id', example.vkey.replace('+530d903a+', '+530d903b+')],
    ['a missing part', 'example.com/foo+530d903a'],
    ['a plus in the name', `a+${example.vkey}`],
    ['a wrong type byte', example.vkey.replace('+Aeky', '+Aiky')],
    ['a short key', example.vkey.slice(0, -4)],
    ['a space in the name', example.vkey.replace('example.com/foo', 'example .com/foo')],
  ])('reject %s', (_label, vkey) => {
    expectNoteError(() => parseVerifierKey(vkey), 'malformed');
  });
});

describe('signed notes', () => {
  const key = parseVerifierKey(example.vkey);

  it('open the C2SP example', () => {
    const opened = openNote(example.note, key);
    expect(opened.text).toBe(example.text);
    expect(opened.verified).toHaveLength(1);
    expect(opened.unknown).toHaveLength(0);
  });

  describe('with a generated key', () => {
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const name = 'localhost/ledgerline';
    const vkey = parseVerifierKey(encodeVerifierKey(name, privateKey));
    const text = 'localhost/ledgerline\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
    const note = signNote(text, name, privateKey);

    it('sign and open round trip, in the spec format', () => {
      expect(note.startsWith(`${text}\n\u2014 ${name} `)).toBe(true);
      expect(note.endsWith('\n')).toBe(true);
      expect(openNote(note, [key, vkey]).text).toBe(text);
    });

    it('allow empty lines inside the text (the last blank line separates)', () => {
      const multi = 'first\n\nthird\n';
      expect(openNote(signNote(multi, name, privateKey), vkey).text).toBe(multi);
    });

    it('ignore signatures from unknown keys, even sharing the name', () => {
      const other = crypto.generateKeyPairSync('ed25519').privateKey;
      const foreign = signNote(text, name, other).split('\n\n')[1];
      const both = `${note}${foreign}`;
      const opened = openNote(both, vkey);
      expect(opened.verified).toHaveLength(1);
      expect(opened.unknown).toHaveLength(1);
      expectNoteError(() => openNote(signNote(text, name, other), vkey), 'unverified');
    });

    it('reject an altered text', () => {
      expectNoteError(() => openNote(note.replace('\n42\n', '\n43\n'), vkey), 'bad-signature');
    });

    it('reject an altered signature', () => {
      const [body, sigLine] = note.split('\n\n');
      const sig = Buffer.from(sigLine.split(' ')[2], 'base64');
      sig[20] ^= 1;
      expectNoteError(() => openNote(`${body}\n\n\u2014 ${name} ${sig.toString('base64')}\n`, vkey), 'bad-signature');
    });

    it('reject the wrong key', () => {
      expectNoteError(() => openNote(note, key), 'unverified');
    });

    it('reject a repeated signature from a known key', () => {
      expectNoteError(() => openNote(note + note.split('\n\n')[1], vkey), 'malformed');
    });

    it.each([
      ['no final newline', () => note.slice(0, -1)],
      ['no signature', () => `${text}\n`],
      ['a hyphen instead of an em dash', () => note.replace('\u2014', '-')],
      ['a trailing blank line', () => `${note}\n`],
      ['a carriage return', () => note.replace('42', '4\r2')],
      ['a tab', () => note.replace('42', '4\t2')],
      ['no blank line', () => note.replace('\n\n', '\n')],
      ['an unpadded signature', () => note.replace(/=\n$/, '\n')],
      ['a too short signature', () => `${text}\n\u2014 ${name} AAAA\n`],
    ])('reject %s as malformed', (_label, build) => {
      expectNoteError(() => openNote(build(), vkey), 'malformed');
    });

    it('refuse to sign text without a final newline or with a bad key name', () => {
      expectNoteError(() => signNote('no newline', name, privateKey), 'malformed');
      expectNoteError(() => signNote(text, 'bad name', privateKey), 'malformed');
    });
  });
});
