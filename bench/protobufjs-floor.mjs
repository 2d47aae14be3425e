#!/usr/bin/env node
// The floor for a static check of one model: a bare node script that reads the file and decodes
// it with protobufjs (bench/onnx-subset.proto), then counts the nodes. bench/startup.mjs runs it
// as its own process beside `port-check FILE`.
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

const root = protobuf.loadSync(new URL('./onnx-subset.proto', import.meta.url).pathname);
const model = root.lookupType('onnx.ModelProto').decode(readFileSync(process.argv[2]));
process.stdout.write(`${model.graph.node.length} nodes\n`);
