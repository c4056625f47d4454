export {};
console.log('bench: see below');
