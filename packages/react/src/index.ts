// Work in progress: see the server-adapter and React issues.
export {};
