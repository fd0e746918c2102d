export { TOPICS, PLATFORM_TOPICS, type TopicName, type TopicSpec } from './topics.js';
