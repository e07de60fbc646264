/** Entry point of the `shikiri` command. */
console.log('shikiri: under construction');
