export { buildImages, imageReferences, type BuiltImage } from './build.js';
export { IMAGE_SERVICES, imageName, platformVersion, type ImageService } from './names.js';
export { podman, ulimitArgs } from './podman.js';
