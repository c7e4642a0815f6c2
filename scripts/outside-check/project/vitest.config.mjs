// The kit's cases run from the compiled tests, so its worker processes can load the adapter module.
export default {
  test: { include: ['out/test/**/*.test.js'], testTimeout: 30_000, hookTimeout: 60_000 },
};
