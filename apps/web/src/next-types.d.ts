// Next's ambient types (CSS modules, images), committed because the next-env.d.ts
// that `next build` writes depends on the build folder and is not in git.
/// <reference types="next" />
/// <reference types="next/image-types/global" />
