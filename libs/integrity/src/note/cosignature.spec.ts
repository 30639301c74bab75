import { generateKeyPairSync } from 'node:crypto';
import { b64DecodeStrict, b64Encode } from '../base64';
import { sha256 } from '../hash';
import { rawEd25519PublicKey } from '../keys/jwk-thumbprint';
import { formatCheckpoint, signCheckpoint } from './checkpoint';
import { checkWitnessQuorum, cosignatureMessage, cosignCheckpoint, encodeCosignerKey, parseCosignerKey } from './cosignature';
import { openNote } from './signed-note';
import { encodeVerifierKey, parseVerifierKey } from './verifier-key';

const ORIGIN = 'example.test/log';
const NOW = 1_800_000_000n;
const log = generateKeyPairSync('ed25519');
const witnesses = [0, 1, 2].map((i) => ({ name: `witness.test/w${i}`, ...generateKeyPairSync('ed25519') }));
const keys = witnesses.map((w) => parseCosignerKey(encodeCosignerKey(w.name, w.publicKey)));
const checkpoint = { origin: ORIGIN, size: 5, rootHash: sha256(Buffer.from('root')) };
const text = formatCheckpoint(checkpoint);
const note = signCheckpoint(checkpoint, log.privateKey);
const cosign = (i: number, at = NOW) => cosignCheckpoint(text, witnesses[i].name, witnesses[i].privateKey, at);

describe('cosignature/v1 (c2sp.org/tlog-cosignature, Ed25519)', () => {
  it('signs "cosignature/v1", the time line and the note text, behind a key ID from type byte 0x04 and a big-endian timestamp', () => {
    const line = cosign(0);
    const bytes = b64DecodeStrict(line.trim().split(' ')[2]) as Buffer;
    const raw = rawEd25519PublicKey(witnesses[0].publicKey);
    const keyId = sha256(Buffer.concat([Buffer.from(`${witnesses[0].name}\n`), Buffer.from([0x04]), raw])).subarray(0, 4);
    expect(bytes.subarray(0, 4).equals(keyId)).toBe(true);
    expect(bytes.readBigUInt64BE(4)).toBe(NOW);
    expect(cosignatureMessage(text, NOW).toString()).toBe(`cosignature/v1\ntime ${NOW}\n${ORIGIN}\n5\n${b64Encode(checkpoint.rootHash)}\n`);
    expect(line.startsWith(`\u2014 ${witnesses[0].name} `) && line.endsWith('\n')).toBe(true);
    expect(keys[0].vkey).toBe(encodeCosignerKey(witnesses[0].name, witnesses[0].privateKey));
  });

  it('leaves the log signature verifiable: a witnessed note still opens with the log key alone', () => {
    const witnessed = note + cosign(0) + cosign(1);
    expect(openNote(witnessed, parseVerifierKey(encodeVerifierKey(ORIGIN, log.publicKey))).unknown).toHaveLength(2);
  });

  it('counts valid cosignatures from pinned keys against the quorum, ignoring unknown keys', () => {
    const witnessed = note + cosign(0) + cosign(1);
    expect(checkWitnessQuorum(witnessed, keys, 2, Number(NOW))).toMatchObject({ ok: true, cosignatures: [{ name: witnesses[0].name }, { name: witnesses[1].name }] });
    const short = checkWitnessQuorum(witnessed, keys, 3, Number(NOW));
    expect(short).toMatchObject({ ok: false, reason: 'witness-quorum' });
    expect(checkWitnessQuorum(witnessed, [keys[2]], 1, Number(NOW))).toMatchObject({ ok: false, reason: 'witness-quorum' });
  });

  it('refuses a pinned key cosigning another note, a future or zero timestamp, a repeated key', () => {
    const other = formatCheckpoint({ ...checkpoint, size: 6 });
    const moved = note + cosignCheckpoint(other, witnesses[0].name, witnesses[0].privateKey, NOW);
    expect(checkWitnessQuorum(moved, keys, 1, Number(NOW))).toMatchObject({ ok: false, reason: 'witness-cosignature', detail: expect.stringContaining('does not verify') });
    expect(checkWitnessQuorum(note + cosign(0, NOW + 3600n), keys, 1, Number(NOW))).toMatchObject({ ok: false, detail: expect.stringContaining('future') });
    expect(checkWitnessQuorum(note + cosign(0) + cosign(0), keys, 1, Number(NOW))).toMatchObject({ ok: false, detail: expect.stringContaining('two cosignatures') });
    expect(() => cosignCheckpoint(text, witnesses[0].name, witnesses[0].privateKey, 0n)).toThrow(/timestamp/);
  });

  it('keeps witness keys and log keys apart by their type byte', () => {
    expect(() => parseCosignerKey(encodeVerifierKey(ORIGIN, log.publicKey))).toThrow(/0x04/);
    expect(() => parseVerifierKey(keys[0].vkey)).toThrow(/0x01/);
    // A name and key signing as a log (0x01) have another key ID than as a cosigner (0x04): such a line is not counted.
    const asLog = signCheckpoint({ ...checkpoint, origin: witnesses[0].name }, witnesses[0].privateKey).split('\n\n')[1];
    expect(checkWitnessQuorum(note + asLog, keys, 1, Number(NOW))).toMatchObject({ ok: false, reason: 'witness-quorum' });
  });
});
