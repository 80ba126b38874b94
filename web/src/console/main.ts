console.log("console")
