// The hand-written protobuf encoding must be what TensorFlow's schema says: our SavedModel bytes are
// decoded by an independent implementation (the google-protobuf classes generated from TensorFlow's
// .proto files that tfjs-node ships), and a small graph runs in a real session on tfjs-node.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { Graph } from "../../../src/core/native/graph";
import { canRunGraphs, loadSession } from "../../../src/core/native/session";
import { testTf } from "../../support/tf";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proto = require("@tensorflow/tfjs-node/dist/proto/api_pb.js") as { SavedModel: { deserializeBinary(bytes: Uint8Array): { toObject(): SavedModelObject } } };

interface AttrObject { s: string; i: number; f: number; b: boolean; type: number; shape?: { dimList: { size: number }[] }; list?: { iList: number[] }; tensor?: { dtype: number; tensorShape: { dimList: { size: number }[] }; tensorContent: string } }
interface SavedModelObject {
  savedModelSchemaVersion: number;
  metaGraphsList: { metaInfoDef: { tagsList: string[] }; graphDef: { nodeList: { name: string; op: string; inputList: string[]; attrMap: [string, AttrObject][] }[]; versions: { producer: number } } }[];
}

let backend = "";
/** google-protobuf's toObject gives bytes fields as base64; copied out of Node's shared buffer pool. */
const bytes = (base64: string) => Uint8Array.from(Buffer.from(base64, "base64"));
before(async () => (backend = (await testTf()).backend));

function sample(): Graph {
  const g = new Graph();
  const x = g.placeholder("x", "float32", [-1, 3]);
  g.op("OneHot", [g.placeholder("t", "int32", [-1]), g.constant("int32", [3], []), g.constant("float32", [2.5], []), g.constant("float32", [-1], [])], { T: { type: "float32" }, TI: { type: "int32" }, axis: { i: -1 } }, "hot");
  g.op("MaxPool", [g.op("Reshape", [x, g.constant("int32", [-1, 1, 3, 1])], { T: { type: "float32" }, Tshape: { type: "int32" } })], {
    T: { type: "float32" }, ksize: { ints: [1, 1, 2, 1] }, strides: { ints: [1, 1, 1, 1] }, padding: { s: "VALID" }, data_format: { s: "NHWC" },
  }, "pool");
  g.op("LeakyRelu", [x], { T: { type: "float32" }, alpha: { f: 0.25 } }, "leaky");
  g.op("MatMul", [x, x], { T: { type: "float32" }, transpose_a: { b: false }, transpose_b: { b: true } }, "gram");
  return g;
}

test("a graph's SavedModel decodes with TensorFlow's own schema: tags, nodes, inputs and every attribute kind", () => {
  const decoded = proto.SavedModel.deserializeBinary(sample().savedModel()).toObject();
  assert.equal(decoded.savedModelSchemaVersion, 1);
  const [meta] = decoded.metaGraphsList;
  assert.deepEqual(meta.metaInfoDef.tagsList, ["serve"]);
  assert.ok(meta.graphDef.versions.producer > 0);
  const nodes = new Map(meta.graphDef.nodeList.map((n) => [n.name, { ...n, attr: new Map(n.attrMap) }]));
  assert.deepEqual([...nodes.keys()], ["x", "t", "const", "const_1", "const_2", "hot", "const_3", "Reshape", "pool", "leaky", "gram"]);
  const x = nodes.get("x")!;
  assert.equal(x.op, "Placeholder");
  assert.equal(x.attr.get("dtype")!.type, 1); // DT_FLOAT
  assert.deepEqual(x.attr.get("shape")!.shape!.dimList.map((d) => d.size), [-1, 3]);
  assert.equal(nodes.get("t")!.attr.get("dtype")!.type, 3); // DT_INT32
  assert.deepEqual(nodes.get("hot")!.inputList, ["t", "const", "const_1", "const_2"]);
  assert.equal(nodes.get("hot")!.attr.get("axis")!.i, -1);
  const depth = nodes.get("const")!.attr.get("value")!.tensor!;
  assert.equal(depth.dtype, 3);
  assert.deepEqual(depth.tensorShape.dimList ?? [], []);
  assert.deepEqual([...new Int32Array(bytes(depth.tensorContent).buffer)], [3]);
  const on = nodes.get("const_1")!.attr.get("value")!.tensor!;
  assert.deepEqual([...new Float32Array(bytes(on.tensorContent).buffer)], [2.5]);
  const pool = nodes.get("pool")!.attr;
  assert.deepEqual(pool.get("ksize")!.list!.iList, [1, 1, 2, 1]);
  assert.equal(pool.get("padding")!.s, Buffer.from("VALID").toString("base64"));
  assert.equal(nodes.get("leaky")!.attr.get("alpha")!.f, 0.25);
  assert.equal(nodes.get("gram")!.attr.get("transpose_b")!.b, true);
});

test("the graph runs in a TensorFlow session on tfjs-node, fetching only what each output needs", async (t) => {
  if (backend !== "tensorflow") return t.skip(`graphs need tfjs-node; backend is ${backend}`);
  assert.ok(canRunGraphs());
  const session = loadSession(sample());
  const x = tf.tensor2d([[1, -2, 3], [-4, 5, -6]]);
  const [pool, leaky, gram] = session.run({ x }, ["pool", "leaky", "gram"]);
  assert.deepEqual(Array.from(await pool.data()), [1, 3, 5, 5]);
  assert.deepEqual(Array.from(await leaky.data()), [1, -0.5, 3, -1, 5, -1.5]);
  assert.deepEqual(Array.from(await gram.data()), [14, -32, -32, 77]);
  const [hot] = session.run({ t: tf.tensor1d([2, 0], "int32") }, ["hot"]);
  assert.deepEqual(Array.from(await hot.data()), [-1, -1, 2.5, 2.5, -1, -1]);
  assert.throws(() => session.run({ t: tf.tensor1d([2, 0], "int32") }, ["gram"]), /x/);
  tf.dispose([x, pool, leaky, gram, hot]);
});

test("a graph TensorFlow rejects is an error that says so", async (t) => {
  if (backend !== "tensorflow") return t.skip(`graphs need tfjs-node; backend is ${backend}`);
  const g = new Graph();
  g.op("NoSuchOp", [g.placeholder("x", "float32", [-1])]);
  assert.throws(() => loadSession(g), /NoSuchOp/);
});
