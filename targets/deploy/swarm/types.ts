// Docker Swarm's part of the deploy model (m.deploy.swarm). Types only.

export interface SwarmModel {
  file: string;
  stackName: string;
  appReplicas: number;
  /** The placement constraint that keeps Redis (and the database) on the node with its volume. */
  placement: string;
  /** The longest stack name whose secret and config names (STACK_name_DIGEST) stay within Docker's 64 characters. */
  maxStackName: number;
  /** The first-start files every deploy hands over, for the digest that names them. */
  configFiles: string[];
}
