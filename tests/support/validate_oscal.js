// Validates a JSON document against a JSON schema with ajv: node validate_oscal.js SCHEMA DOC.
// Exits 0 when valid; otherwise prints the first errors and exits 1.
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const fs = require('fs');

const ajv = new Ajv({allErrors: true, strict: false});
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(process.argv[2], 'utf8')));
const document = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
if (validate(document)) {
  console.log('valid');
} else {
  console.log(JSON.stringify(validate.errors.slice(0, 10), null, 2));
  process.exit(1);
}
