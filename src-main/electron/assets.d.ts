/** electron-vite copies `?asset` imports next to the bundle and gives their path at run time. */
declare module '*?asset' {
  const path: string;
  export default path;
}
