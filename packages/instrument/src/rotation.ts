// `@periscope/instrument/rotation`: how the package numbers and shifts the files it rotates
// (`<file>`, then `<file>.1` the newest rotated … `<file>.<maxFiles>`), the convention
// `periscope logs` and `periscope trace` read. A tool that writes files beside a service's (the
// demo's launcher) rotates its own the same way with these; loading them loads only node:fs.
export { rotate, rotatedPaths } from './core/rotating-file.js';
