import * as crypto from 'node:crypto';
import * as integrity from './index';

describe('@ledgerline/integrity public API, end to end', () => {
  it('seals a stream, logs it, checkpoints it, issues a receipt and a bundle that verify offline', async () => {
    const keyring = await integrity.Keyring.create({ signingKey: integrity.generateEd25519Pem() });
    const logPrivate = crypto.generateKeyPairSync('ed25519').privateKey;
    const origin = 'localhost/ledgerline';
    const logKey = integrity.encodeVerifierKey(origin, logPrivate);

    const events: integrity.StoredEvent[] = [];
    let prevHash = integrity.ZERO_HASH;
    for (let revision = 0; revision < 5; revision++) {
      const id = crypto.randomUUID();
      const data = { body: { $jwe: `c${revision}` } };
      const metadata = integrity.sealEvent(
        { id, stream: 'document-1', revision, type: 'DocumentEdited', time: new Date(), actor: { kind: 'user', id: 'user_1' }, correlationId: id, causationId: id, data, prevHash },
        keyring,
      );
      prevHash = metadata.hash;
      events.push({ id, type: 'DocumentEdited', stream: 'document-1', revision, data, metadata });
    }
    expect(integrity.verifyChain(events, await integrity.jwksKeyMap(keyring.jwks()))).toMatchObject({ ok: true, count: 5 });

    const tree = new integrity.InMemoryMerkleTree();
    for (const event of events) if (integrity.isLogLeaf(event)) tree.append(integrity.eventLeafHash(event.metadata));
    const checkpoint = integrity.signCheckpoint({ origin, size: tree.size, rootHash: tree.root() }, logPrivate);

    const receipt = integrity.formatTlogProof({ index: 2, proof: tree.inclusionProof(2), checkpoint });
    expect(integrity.verifyTlogProof((events[2].metadata as integrity.EventMetadata).hash, receipt, logKey)).toMatchObject({ ok: true, index: 2 });

    const writer = new integrity.BundleWriter(keyring);
    const parts = [writer.header({ generatedAt: new Date(), query: { stream: 'document-1' }, checkpoint, logKey, jwks: keyring.jwks() })];
    events.forEach((event, leafIndex) => parts.push(writer.event({ leafIndex, ...event, inclusionProof: tree.inclusionProof(leafIndex) })));
    parts.push(writer.end());
    const report = await integrity.verifyBundle(Buffer.concat(parts), { pinnedLogKey: logKey, pinnedJwks: keyring.jwks() });
    expect(report).toMatchObject({ ok: true, count: 5, keysSelfAsserted: false });
  });
});
