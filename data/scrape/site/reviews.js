fetch('reviews.json')
  .then((r) => r.json())
  .then((reviews) => {
    document.getElementById('reviews').innerHTML = reviews
      .map(
        (r) =>
          '<div class="review"><b class="author">' +
          r.author +
          '</b> <span class="stars" data-stars="' +
          r.stars +
          '">' +
          '★'.repeat(r.stars) +
          '</span><p class="text">' +
          r.text +
          '</p></div>',
      )
      .join('');
  });
