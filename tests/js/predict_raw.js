// Usage: node predict_raw.js <model.json> <inputs.bin> <out.bin>
// Like predict.js for big inputs: inputs.bin is raw little-endian float32 pictures in the
// model's own input shape (N x H x W x C); out.bin gets the raw float32 outputs.
const fs = require('fs');
const { tf, loadModel } = require('./tfjs_files');

async function main() {
  const [jsonPath, inputsPath, outPath] = process.argv.slice(2);
  const model = await loadModel(jsonPath);
  const shape = model.inputs[0].shape.slice(1);
  const bytes = fs.readFileSync(inputsPath);
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const perExample = shape.reduce((a, b) => a * b, 1);
  const inputs = tf.tensor(values, [values.length / perExample, ...shape]);
  const outputs = model.predict(inputs);
  fs.writeFileSync(outPath, Buffer.from(outputs.dataSync().buffer));
}

main().catch((error) => { console.error(error); process.exit(1); });
