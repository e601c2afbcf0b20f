// Usage: node predict_raw.js <model.json> <inputs.bin> <out.bin> [<base.bin>]
// Like predict.js for big inputs: inputs.bin is raw little-endian float32 pictures in the
// model's own input shape (N x H x W x C); out.bin gets the raw float32 outputs. With base.bin,
// the outputs of the first functional model nested inside (a Teachable Machine export's
// MobileNetV2 base, cut at out_relu) go there too.
const fs = require('fs');
const { tf, loadModel } = require('./tfjs_files');

function firstFunctional(layer) {
  if (!layer.layers) return null;
  if (layer.getClassName() !== 'Sequential' && layer.inputs) return layer;
  for (const inner of layer.layers) {
    const found = firstFunctional(inner);
    if (found) return found;
  }
  return null;
}

async function main() {
  const [jsonPath, inputsPath, outPath, basePath] = process.argv.slice(2);
  const model = await loadModel(jsonPath);
  const shape = model.inputs[0].shape.slice(1);
  const bytes = fs.readFileSync(inputsPath);
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const perExample = shape.reduce((a, b) => a * b, 1);
  const inputs = tf.tensor(values, [values.length / perExample, ...shape]);
  fs.writeFileSync(outPath, Buffer.from(model.predict(inputs).dataSync().buffer));
  if (basePath) {
    const base = firstFunctional(model.layers[0]);
    fs.writeFileSync(basePath, Buffer.from(base.predict(inputs).dataSync().buffer));
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
