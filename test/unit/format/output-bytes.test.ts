import assert from "node:assert/strict";
import { test } from "node:test";
import { outputItemFromBytes, outputItemToBytes } from "../../../src/core/format";

const bytes = (s: string) => new TextEncoder().encode(s);

test("JSON MIME types are stored as JSON values", () => {
  const item = outputItemFromBytes("application/vnd.vegalite.v5+json", bytes('{"mark":"bar"}'));
  assert.deepEqual(item, { mime: "application/vnd.vegalite.v5+json", data: { mark: "bar" } });
  assert.deepEqual(JSON.parse(new TextDecoder().decode(outputItemToBytes(item))), { mark: "bar" });
});

test("text is stored as a string, binary as base64, and both round-trip exactly", () => {
  const text = outputItemFromBytes("text/plain", bytes("héllo\n"));
  assert.deepEqual(text, { mime: "text/plain", data: "héllo\n" });
  assert.deepEqual(outputItemToBytes(text), bytes("héllo\n"));
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255]);
  const image = outputItemFromBytes("image/png", png);
  assert.equal(image.encoding, "base64");
  assert.deepEqual(outputItemToBytes(image), png);
});

test("bytes that are not what the MIME type claims are kept exactly, as base64", () => {
  const notJson = bytes("{oops");
  const item = outputItemFromBytes("application/json", notJson);
  assert.equal(item.encoding, "base64");
  assert.deepEqual(outputItemToBytes(item), notJson);
  const badUtf8 = new Uint8Array([0xff, 0xfe, 0x41]);
  assert.deepEqual(outputItemToBytes(outputItemFromBytes("text/plain", badUtf8)), badUtf8);
});

test("stdout and stderr streams are text", () => {
  const item = outputItemFromBytes("application/vnd.code.notebook.stdout", bytes("epoch 1\n"));
  assert.equal(item.data, "epoch 1\n");
});

test("VS Code's error output (tab-indented JSON) is stored as the error object, as the kernel client records it", () => {
  const error = { name: "Interrupted", message: "stopped by the user", stack: "Interrupted: stopped by the user" };
  const item = outputItemFromBytes("application/vnd.code.notebook.error", bytes(JSON.stringify(error, undefined, "\t")));
  assert.deepEqual(item, { mime: "application/vnd.code.notebook.error", data: error });
  assert.deepEqual(JSON.parse(new TextDecoder().decode(outputItemToBytes(item))), error);
});
