// Usage: node make_layer_zoo.js <out folder>
// Builds small models with real TF.js that use every layer py5ml's interpreter reads, gives them
// random (but fixed) weights, saves each one (model.json + model.weights.bin) and writes the
// inputs (inputs.bin, raw float32) and TF.js's own outputs (expected.bin) beside it, with the
// shapes in shapes.json. py5ml must load each model and compute the same numbers.
//   conv_same      Conv2D same/valid, strides, dilation, bias, activations, BatchNormalization, ReLU max 6
//   depthwise      DepthwiseConv2D (multiplier 2, same, stride 2), SeparableConv2D, ZeroPadding2D
//                  (TF.js does not save SeparableConv2D's depth multiplier, so that one stays 1)
//   pooling        MaxPooling2D / AveragePooling2D, same and valid, odd sizes; Global pools
//   merges         a functional Model: Add, Multiply, Concatenate (channel axis), Softmax, Reshape
//   nested         Sequential [ Model [ Sequential ] ], Dropout, Flatten, Dense on 3-D input
const fs = require('fs');
const path = require('path');
const { tf, saveModel } = require('./tfjs_files');

let seed = 7;
function random() { seed = (seed * 16807) % 2147483647; return seed / 2147483647; }
function randomize(model) {
  model.weights.forEach((w) => {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const isVariance = w.name.includes('moving_variance');
    const values = Float32Array.from({ length: n }, () => (isVariance ? 0.5 + random() : (random() - 0.5) * 0.8));
    w.write(tf.tensor(values, w.shape));
  });
}

async function save(model, out, name, inputShape, count = 3) {
  randomize(model);
  const dir = path.join(out, name);
  await saveModel(model, dir);
  const n = inputShape.reduce((a, b) => a * b, 1) * count;
  const inputs = tf.tensor(Float32Array.from({ length: n }, () => random() * 2 - 1), [count, ...inputShape]);
  const outputs = model.predict(inputs);
  fs.writeFileSync(path.join(dir, 'inputs.bin'), Buffer.from(inputs.dataSync().buffer));
  fs.writeFileSync(path.join(dir, 'expected.bin'), Buffer.from(outputs.dataSync().buffer));
  fs.writeFileSync(path.join(dir, 'shapes.json'), JSON.stringify({ input: inputs.shape, output: outputs.shape }));
}

function convSame() {
  return tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [9, 11, 3], filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
    tf.layers.batchNormalization({ epsilon: 0.001 }),
    tf.layers.reLU({ maxValue: 6 }),
    tf.layers.conv2d({ filters: 5, kernelSize: [2, 3], padding: 'valid', useBias: false, activation: 'tanh' }),
    tf.layers.conv2d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'elu' }),
    tf.layers.batchNormalization({ center: false, scale: false }),
    tf.layers.activation({ activation: 'relu6' }),
  ] });
}

function depthwise() {
  return tf.sequential({ layers: [
    tf.layers.zeroPadding2d({ inputShape: [10, 10, 3], padding: [[0, 1], [2, 1]] }),
    tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', useBias: true }),
    tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'valid', useBias: false, activation: 'sigmoid' }),
    tf.layers.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'softplus' }),
    tf.layers.separableConv2d({ filters: 2, kernelSize: 2, strides: 2, padding: 'valid', useBias: false }),
  ] });
}

function pooling() {
  const input = tf.input({ shape: [11, 13, 4] });
  const a = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(input);
  const b = tf.layers.averagePooling2d({ poolSize: [3, 2], strides: [2, 2], padding: 'same' }).apply(input);
  const c = tf.layers.averagePooling2d({ poolSize: 2, padding: 'valid' }).apply(a);
  const d = tf.layers.maxPooling2d({ poolSize: 2, padding: 'valid' }).apply(b);
  const pooled = [tf.layers.globalAveragePooling2d({}).apply(c), tf.layers.globalMaxPooling2d({}).apply(d)];
  return tf.model({ inputs: input, outputs: tf.layers.concatenate().apply(pooled) });
}

function merges() {
  const input = tf.input({ shape: [6, 6, 2] });
  const left = tf.layers.conv2d({ filters: 3, kernelSize: 1, activation: 'relu' }).apply(input);
  const right = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(input);
  const added = tf.layers.add().apply([left, right, left]);
  const multiplied = tf.layers.multiply().apply([added, right]);
  const joined = tf.layers.concatenate({ axis: 3 }).apply([multiplied, input]);
  const reshaped = tf.layers.reshape({ targetShape: [36, 5] }).apply(joined);
  const out = tf.layers.softmax().apply(tf.layers.flatten().apply(reshaped));  // TF.js: last axis of 2-D only
  return tf.model({ inputs: input, outputs: out });
}

function nested() {
  const inner = tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [4, 5], units: 6, activation: 'selu' }),
    tf.layers.dropout({ rate: 0.3 }),
  ] });
  const input = tf.input({ shape: [4, 5] });
  const mid = tf.model({ inputs: input, outputs: tf.layers.activation({ activation: 'softsign' }).apply(inner.apply(input)) });
  return tf.sequential({ layers: [
    mid,
    tf.layers.flatten(),
    tf.layers.dense({ units: 3, activation: 'softmax' }),
  ] });
}

async function main() {
  const out = process.argv[2];
  await save(convSame(), out, 'conv_same', [9, 11, 3]);
  await save(depthwise(), out, 'depthwise', [10, 10, 3]);
  await save(pooling(), out, 'pooling', [11, 13, 4]);
  await save(merges(), out, 'merges', [6, 6, 2]);
  await save(nested(), out, 'nested', [4, 5]);
}

main().catch((error) => { console.error(error); process.exit(1); });
