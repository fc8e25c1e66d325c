// Development credentials: usable out of the box, refused when NODE_ENV=production (shared by both config loaders).
export const DEV_API_KEY = 'encore-dev-api-key'
export const DEV_API_SECRET = 'encore-dev-secret-do-not-use-in-production'
