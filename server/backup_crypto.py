"""Encrypted archive streams for backups: AES-256-GCM in 1 MiB chunks (the `cryptography`
package), with a key stretched from the BACKUP_KEY setting by scrypt and a random salt.

Layout: MAGIC, salt (16 bytes), scrypt cost (4 bytes, big-endian), nonce prefix (7 bytes); then
chunks, each a 4-byte length and its ciphertext. A chunk's nonce is the prefix, its counter (4
bytes) and a last-chunk flag (1 byte), and the header is its associated data: chunks cannot be
reordered, dropped or cut off at the end without decryption failing (the STREAM construction).
"""

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"SENDBAK1"
CHUNK = 1024 * 1024
HEADER_LENGTH = len(MAGIC) + 16 + 4 + 7


class BadArchive(Exception):
    """Wrong key, a damaged or cut-off file, or not one of our archives."""


def _key(passphrase: str, salt: bytes, cost: int) -> bytes:
    if not passphrase:
        raise BadArchive("No backup key: set BACKUP_KEY (README, Backups).")
    return Scrypt(salt=salt, length=32, n=cost, r=8, p=1).derive(passphrase.encode())


class EncryptingWriter:
    """A write-only file object: what is written goes out encrypted to `out`."""

    def __init__(self, out, passphrase: str, cost: int):
        salt, self.prefix = os.urandom(16), os.urandom(7)
        self.header = MAGIC + salt + struct.pack(">I", cost) + self.prefix
        self.aead = AESGCM(_key(passphrase, salt, cost))
        self.out, self.buffer, self.counter = out, bytearray(), 0
        out.write(self.header)

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:  # keep at least one byte back for the last chunk
            self._emit(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, last: bool) -> None:
        nonce = self.prefix + struct.pack(">IB", self.counter, int(last))
        sealed = self.aead.encrypt(nonce, plain, self.header)
        self.out.write(struct.pack(">I", len(sealed)) + sealed)
        self.counter += 1

    def close(self) -> None:
        self._emit(bytes(self.buffer), last=True)
        self.buffer.clear()

    def flush(self) -> None:
        pass


def decrypt(source, out, passphrase: str) -> None:
    """Decrypt an archive from `source` into `out`, or raise BadArchive."""
    header = source.read(HEADER_LENGTH)
    if len(header) != HEADER_LENGTH or not header.startswith(MAGIC):
        raise BadArchive("This is not a backup archive made by `flask backup create`.")
    salt = header[len(MAGIC) : len(MAGIC) + 16]
    (cost,) = struct.unpack(">I", header[len(MAGIC) + 16 : len(MAGIC) + 20])
    prefix = header[-7:]
    aead = AESGCM(_key(passphrase, salt, cost))
    counter = 0
    while True:
        size = source.read(4)
        if len(size) != 4:
            raise BadArchive("The archive ends early: it is damaged or was not copied whole.")
        sealed = source.read(struct.unpack(">I", size)[0])
        plain, last = _open(aead, prefix, counter, sealed, header)
        out.write(plain)
        counter += 1
        if last:
            if source.read(1):
                raise BadArchive("The archive has data after its end.")
            return


def _open(aead, prefix, counter, sealed, header):
    for last in (False, True):
        try:
            nonce = prefix + struct.pack(">IB", counter, int(last))
            return aead.decrypt(nonce, sealed, header), last
        except InvalidTag:
            continue
    raise BadArchive("The archive cannot be decrypted: the key is wrong or the file is damaged.")
